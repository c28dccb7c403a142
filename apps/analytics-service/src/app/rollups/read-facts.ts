import type { FactsRepository, Totals } from '../facts/facts.repository';
import type { DaySlice } from '../facts/time-buckets';
import { mapLimit } from '../reporting/map-limit';
import type { Rollup } from './rollup';

/**
 * what the facts of each slice add up to, over the given series: one aggregate query per (series,
 * slice) partition and one per slice for its products, at most `inFlight` at once
 */
export async function readFacts(
  facts: Pick<FactsRepository, 'totals' | 'productQuantities'>,
  slices: readonly DaySlice[],
  series: readonly string[],
  inFlight: number,
): Promise<Rollup[]> {
  const totals = slices.map(() => new Map<string, Totals>());
  const products = slices.map(() => new Map<string, number>());
  const reads = slices.flatMap((slice, i) => [
    ...series.map((s) => async () => {
      const t = await facts.totals(s, slice);
      if (t.count > 0) totals[i].set(s, t);
    }),
    async () => {
      products[i] = await facts.productQuantities(slice);
    },
  ]);
  await mapLimit(reads, inFlight, (read) => read());
  return slices.map((_, i) => ({ totals: totals[i], products: products[i] }));
}
