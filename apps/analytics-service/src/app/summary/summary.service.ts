import { Injectable } from '@nestjs/common';
import { FactsRepository, type Totals } from '../facts/facts.repository';
import { revenueSeries, Series } from '../facts/event-facts';
import { daySlices } from '../facts/time-buckets';
import { mapLimit } from '../reporting/map-limit';
import { resolveWindow, type WindowParams } from '../reporting/time-window';
import type { SummaryView } from './summary.view';
import { topProducts } from './top-products';

/** cassandra reads in flight per report: one per (series, day) partition */
const READS_IN_FLIGHT = 16;

const COUNTED = [Series.Signups, Series.OrdersPlaced, Series.OrdersConfirmed, Series.OrdersRejected, Series.OrdersCancelled] as const;

@Injectable()
export class SummaryService {
  constructor(private readonly facts: FactsRepository) {}

  async summary(params: WindowParams, now = Date.now()): Promise<SummaryView> {
    const { from, to } = resolveWindow(params, now);
    const slices = daySlices(from, to);
    const currencies = (await this.facts.currencies()).sort();
    const series = [...COUNTED, ...currencies.map(revenueSeries)];
    // every (series, day) partition is one aggregate query; add the days up per series
    const reads = series.flatMap((s) => slices.map((slice) => ({ s, slice })));
    const totals = await mapLimit(reads, READS_IN_FLIGHT, ({ s, slice }) => this.facts.totals(s, slice));
    const bySeries = new Map<string, Totals>();
    reads.forEach(({ s }, i) => {
      const t = bySeries.get(s) ?? { count: 0, sum: 0 };
      bySeries.set(s, { count: t.count + totals[i].count, sum: t.sum + totals[i].sum });
    });
    const count = (s: string) => bySeries.get(s)?.count ?? 0;
    const products = await mapLimit(slices, READS_IN_FLIGHT, (slice) => this.facts.productQuantities(slice));
    return {
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      usersRegistered: count(Series.Signups),
      orders: {
        placed: count(Series.OrdersPlaced),
        confirmed: count(Series.OrdersConfirmed),
        rejected: count(Series.OrdersRejected),
        cancelled: count(Series.OrdersCancelled),
      },
      // a currency is listed when confirmed orders in it exist in the window, even with a zero total
      revenue: currencies
        .filter((c) => count(revenueSeries(c)) > 0)
        .map((currency) => ({ currency, amount: bySeries.get(revenueSeries(currency))?.sum ?? 0 })),
      topProducts: topProducts(products),
    };
  }
}
