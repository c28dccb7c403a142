import type { DaySlice } from '../facts/time-buckets';
import { CLOSED_AFTER_MS, RollupPolicy } from './rollup-policy';

const S = 60_000;
const DAY = '2025-03-10';
const START = Date.parse('2025-03-10T00:00:00Z');
const END = Date.parse('2025-03-11T00:00:00Z');
const whole: DaySlice = { day: DAY, start: START, end: END, whole: true };

describe('RollupPolicy', () => {
  const policy = new RollupPolicy(S);

  it('closes a whole day CLOSED_AFTER_MS after its end, and never a partial one', () => {
    expect(policy.closed(whole, END + CLOSED_AFTER_MS - 1)).toBe(false);
    expect(policy.closed(whole, END + CLOSED_AFTER_MS)).toBe(true);
    expect(policy.closed({ ...whole, start: START + 60_000, whole: false }, END + 365 * 86_400_000)).toBe(false);
  });

  it('has a fact mark its day once an instance whose clock is up to S ahead may have read it for a rollup', () => {
    expect(policy.mayBeRolledUp(DAY, END - 1)).toBe(false);
    expect(policy.mayBeRolledUp(DAY, END + CLOSED_AFTER_MS - S - 1)).toBe(false);
    expect(policy.mayBeRolledUp(DAY, END + CLOSED_AFTER_MS - S)).toBe(true);
    expect(policy.mayBeRolledUp(DAY, END + 400 * 86_400_000)).toBe(true);
  });

  it('trusts a rollup of a day never marked, or read more than S after its last mark', () => {
    const mark = END + 86_400_000;
    expect(policy.trusted(END + CLOSED_AFTER_MS, undefined)).toBe(true);
    expect(policy.trusted(mark + S, mark)).toBe(false);
    expect(policy.trusted(mark + S + 1, mark)).toBe(true);
    // read before the mark: never
    expect(policy.trusted(mark - 1, mark)).toBe(false);
  });

  it('never trusts a rollup that missed a fact, whatever the two clocks within S of each other', () => {
    // the argument of analytics.schema.ts: a reader reads the closed day from r on its clock and misses
    // a fact, so the fact is acknowledged `after` ms later; its writer's clock then reads r + after + skew
    for (const r of [END + CLOSED_AFTER_MS, END + CLOSED_AFTER_MS + 1, END + 3 * 86_400_000])
      for (const after of [0, 1, 5_000])
        for (const skew of [-S, -S + 1, -1, 0, S]) {
          const c = r + after + skew;
          expect([r, after, skew, policy.mayBeRolledUp(DAY, c), policy.trusted(r, c)]).toEqual([r, after, skew, true, false]);
        }
  });
});
