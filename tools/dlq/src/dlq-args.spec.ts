import { parseDlqArgs, USAGE, UsageError } from './dlq-args';

describe('parseDlqArgs', () => {
  it('reads list and replay as before', () => {
    expect(parseDlqArgs(['list'])).toEqual({ name: 'list', topic: undefined, limit: 10 });
    expect(parseDlqArgs(['list', 'order.placed.dlt', '--limit', '50'])).toEqual({ name: 'list', topic: 'order.placed.dlt', limit: 50 });
    expect(parseDlqArgs(['replay', 'order.placed', '--id', 'e-1', '--id', 'e-2', '--dry-run'])).toEqual({
      name: 'replay',
      topic: 'order.placed',
      ids: ['e-1', 'e-2'],
      since: undefined,
      dryRun: true,
    });
    expect(parseDlqArgs(['--help'])).toEqual({ name: 'help' });
  });

  it('reads purge as a dry run unless --yes is given', () => {
    expect(parseDlqArgs(['purge', 'order.placed'])).toEqual({ name: 'purge', topic: 'order.placed', yes: false });
    expect(parseDlqArgs(['purge', 'order.placed.dlt', '--yes'])).toEqual({ name: 'purge', topic: 'order.placed.dlt', yes: true });
    expect(parseDlqArgs(['purge', '--yes', 'stock.reserved'])).toEqual({ name: 'purge', topic: 'stock.reserved', yes: true });
  });

  it('rejects a purge without a topic, with more than one, or with options of the other commands', () => {
    expect(() => parseDlqArgs(['purge'])).toThrow(new UsageError('purge needs a topic, e.g. npm run dlq -- purge order.placed'));
    expect(() => parseDlqArgs(['purge', '--yes'])).toThrow(/purge needs a topic/);
    expect(() => parseDlqArgs(['purge', 'order.placed', 'order.confirmed'])).toThrow(/unexpected arguments: order\.confirmed/);
    expect(() => parseDlqArgs(['purge', 'order.placed', '--id', 'e-1'])).toThrow(/purge does not take --id/);
    expect(() => parseDlqArgs(['purge', 'order.placed', '--dry-run'])).toThrow(/dry run already unless --yes/);
    expect(() => parseDlqArgs(['purge', 'order.placed', '--yes=no'])).toThrow(UsageError);
  });

  it('takes --yes for purge only', () => {
    expect(() => parseDlqArgs(['list', '--yes'])).toThrow(/list does not take --yes/);
    expect(() => parseDlqArgs(['replay', 'order.placed', '--yes'])).toThrow(/replay does not take --yes/);
  });

  it('rejects a missing or unknown command', () => {
    expect(() => parseDlqArgs([])).toThrow(/missing command/);
    expect(() => parseDlqArgs(['drop', 'order.placed'])).toThrow(/unknown command "drop"/);
  });

  it('documents every command in the usage', () => {
    expect(USAGE).toMatch(/npm run dlq -- list \[topic\]/);
    expect(USAGE).toMatch(/npm run dlq -- replay <topic>/);
    expect(USAGE).toMatch(/npm run dlq -- purge <topic> \[--yes\]/);
  });
});
