import { parseArgs } from 'node:util';

export const USAGE = `usage:
  npm run dlq -- list [topic] [--limit <n>]
      every dead-letter topic with its number of entries; with a topic (order.placed or
      order.placed.dlt), its count and newest entries (10 unless --limit)
  npm run dlq -- replay <topic> [--id <eventId>]... [--since <ISO time>] [--dry-run]
      sends dead letters back to their original topic: all of them, those with the given event ids,
      or those that failed at or after --since. --dry-run prints what would be sent.
  npm run dlq -- purge <topic> [--yes]
      deletes the dead letters of the topic for good, up to the newest one at the start; those that
      arrive meanwhile are kept. replay first what still needs to take effect. without --yes it
      prints what it would delete, and deletes nothing.
kafka is found through KAFKA_BROKERS, KAFKA_CLIENT_ID and KAFKA_TOPIC_PREFIX, as for the services.`;

export type DlqCommand =
  | { readonly name: 'help' }
  | { readonly name: 'list'; readonly topic?: string; readonly limit: number }
  | { readonly name: 'replay'; readonly topic: string; readonly ids: string[]; readonly since?: Date; readonly dryRun: boolean }
  | { readonly name: 'purge'; readonly topic: string; readonly yes: boolean };

/** bad usage: the cli prints the message and the usage, and exits 2 */
export class UsageError extends Error {}

export function parseDlqArgs(argv: readonly string[]): DlqCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        limit: { type: 'string' },
        id: { type: 'string', multiple: true },
        since: { type: 'string' },
        'dry-run': { type: 'boolean' },
        yes: { type: 'boolean' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  const [command, topic, ...extra] = positionals;
  if (values.help) return { name: 'help' };
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  if (command === 'list') {
    only(values, ['limit'], 'list');
    return { name: 'list', topic, limit: limit(values.limit) };
  }
  if (command === 'replay') {
    only(values, ['id', 'since', 'dry-run'], 'replay');
    if (!topic) throw new UsageError('replay needs a topic, e.g. npm run dlq -- replay order.placed');
    return { name: 'replay', topic, ids: values.id ?? [], since: since(values.since), dryRun: values['dry-run'] ?? false };
  }
  if (command === 'purge') {
    if (values['dry-run']) throw new UsageError('purge is a dry run already unless --yes is given: leave out --dry-run');
    only(values, ['yes'], 'purge');
    if (!topic) throw new UsageError('purge needs a topic, e.g. npm run dlq -- purge order.placed');
    return { name: 'purge', topic, yes: values.yes ?? false };
  }
  throw new UsageError(command ? `unknown command "${command}"` : 'missing command');
}

function only(values: Record<string, unknown>, allowed: string[], command: string): void {
  const other = Object.keys(values).filter((k) => values[k] !== undefined && !allowed.includes(k));
  if (other.length > 0) throw new UsageError(`${command} does not take ${other.map((o) => `--${o}`).join(', ')}`);
}

function limit(text: string | undefined): number {
  if (text === undefined) return 10;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--limit must be a whole number of at least 1 (got "${text}")`);
  return n;
}

function since(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const at = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(at.getTime()))
    throw new UsageError(`--since must be an ISO time such as 2026-11-30T12:00:00Z (got "${text}")`);
  return at;
}
