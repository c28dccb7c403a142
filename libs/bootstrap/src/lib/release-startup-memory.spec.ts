import { Script } from 'node:vm';
import { releaseStartupMemory, youngGenerationMb } from './release-startup-memory';

describe('releaseStartupMemory', () => {
  it('shrinks the young generation that allocation grew, and says what it took', () => {
    // survivors in every scavenge make V8 grow the young generation, as loading modules does
    const kept: object[] = [];
    for (let i = 0; i < 2_000_000; i++) {
      const o = { i, text: `item ${i}` };
      if (i % 4 === 0) kept.push(o);
    }
    const grown = youngGenerationMb();
    expect(grown).toBeGreaterThan(2);

    const released = releaseStartupMemory();

    expect(youngGenerationMb()).toBeLessThan(grown / 2);
    expect(released.ms).toBeGreaterThan(0);
    expect(released.rssBeforeMb).toBeGreaterThan(0);
    expect(kept).toHaveLength(500_000); // what is still referenced stays
  });

  it('leaves gc() unexposed to the process', () => {
    releaseStartupMemory();
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
    // nor to a context made afterwards: the flag is set back
    expect(new Script('typeof gc').runInNewContext()).toBe('undefined');
  });
});
