import type { Totals } from '../facts/facts.repository';
import type { ProductQuantity } from './top-products';

/** what some stretch of time adds up to: count and sum per series, quantity per product */
export interface Rollup {
  /** series without facts are absent */
  readonly totals: ReadonlyMap<string, Totals>;
  /** products not sold are absent */
  readonly products: ReadonlyMap<string, number>;
}

/**
 * a rollup as stored, with when the facts of each of its days were read: the clock of the instance
 * that read them, taken before the first read. whether it may be used depends on when those days
 * were last marked dirty (analytics.schema.ts)
 */
export interface StoredRollup {
  readonly rollup: Rollup;
  readonly readFrom: ReadonlyMap<string, number>;
}

/** what a report shows of a rollup: its totals, and of its products only those sold most */
export interface Report {
  readonly totals: ReadonlyMap<string, Totals>;
  readonly topProducts: readonly ProductQuantity[];
}

/** a whole year's report as stored, with when the facts of each of its days were read (as StoredRollup) */
export interface StoredReport {
  readonly report: Report;
  readonly readFrom: ReadonlyMap<string, number>;
}

export function addRollups(rollups: Iterable<Rollup>): Rollup {
  const totals = new Map<string, Totals>();
  const products = new Map<string, number>();
  for (const r of rollups) {
    for (const [series, t] of r.totals) {
      const sum = totals.get(series) ?? { count: 0, sum: 0 };
      totals.set(series, { count: sum.count + t.count, sum: sum.sum + t.sum });
    }
    for (const [productId, quantity] of r.products) products.set(productId, (products.get(productId) ?? 0) + quantity);
  }
  return { totals, products };
}
