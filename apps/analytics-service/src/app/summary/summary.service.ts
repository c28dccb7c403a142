import { Injectable } from '@nestjs/common';
import { FactsRepository } from '../facts/facts.repository';
import { revenueSeries, Series } from '../facts/event-facts';
import { daySlices } from '../facts/time-buckets';
import { resolveWindow, type WindowParams } from '../reporting/time-window';
import { RollupsService } from '../rollups/rollups.service';
import type { SummaryView } from './summary.view';

const COUNTED = [Series.Signups, Series.OrdersPlaced, Series.OrdersConfirmed, Series.OrdersRejected, Series.OrdersCancelled] as const;

@Injectable()
export class SummaryService {
  constructor(
    private readonly facts: FactsRepository,
    private readonly rollups: RollupsService,
  ) {}

  async summary(params: WindowParams, now = Date.now()): Promise<SummaryView> {
    const { from, to } = resolveWindow(params, now);
    const currencies = (await this.facts.currencies()).sort();
    const series = [...COUNTED, ...currencies.map(revenueSeries)];
    // closed days from their rollups (a whole calendar year from one row), the rest (today, the edges) from the facts
    const { totals, topProducts } = await this.rollups.report(daySlices(from, to), series, now);
    const count = (s: string) => totals.get(s)?.count ?? 0;
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
        .map((currency) => ({ currency, amount: totals.get(revenueSeries(currency))?.sum ?? 0 })),
      topProducts: [...topProducts],
    };
  }
}
