import { waitFor } from './wait-for';

describe('waitFor', () => {
  it('returns the first truthy value', async () => {
    let n = 0;
    await expect(waitFor('n to reach 3', () => ++n >= 3 && n, { intervalMs: 1 })).resolves.toBe(3);
  });

  it('keeps polling through errors', async () => {
    let n = 0;
    const value = await waitFor(
      'a flaky call',
      () => {
        if (++n < 3) throw new Error('not yet');
        return 'ok';
      },
      { intervalMs: 1 },
    );
    expect(value).toBe('ok');
  });

  it('times out naming what it waited for and the last error', async () => {
    await expect(
      waitFor(
        'the impossible',
        () => {
          throw new Error('still broken');
        },
        { timeoutMs: 30, intervalMs: 5 },
      ),
    ).rejects.toThrow(/waiting for the impossible \(last error: still broken\)/);
  });
});
