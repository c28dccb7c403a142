import { currentCorrelationId, runWithCorrelation } from './correlation';

describe('correlation context', () => {
  it('is empty outside any run', () => {
    expect(currentCorrelationId()).toBeUndefined();
  });

  it('follows awaits and timers inside the run, and ends with it', async () => {
    const seen = await runWithCorrelation('c-1', async () => {
      await new Promise((r) => setTimeout(r, 5));
      return new Promise<string | undefined>((resolve) => setImmediate(() => resolve(currentCorrelationId())));
    });
    expect(seen).toBe('c-1');
    expect(currentCorrelationId()).toBeUndefined();
  });

  it('lets an inner run shadow the outer one, and keeps concurrent runs apart', async () => {
    const inner = runWithCorrelation('outer', () => [runWithCorrelation('inner', currentCorrelationId), currentCorrelationId()]);
    expect(inner).toEqual(['inner', 'outer']);

    const delayed = (id: string, ms: number) =>
      runWithCorrelation(id, async () => {
        await new Promise((r) => setTimeout(r, ms));
        return currentCorrelationId();
      });
    await expect(Promise.all([delayed('a', 20), delayed('b', 5)])).resolves.toEqual(['a', 'b']);
  });

  it('returns what fn returns', () => {
    expect(runWithCorrelation('x', () => 42)).toBe(42);
  });
});
