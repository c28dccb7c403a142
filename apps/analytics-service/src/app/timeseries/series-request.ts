import { ValidationProblem } from '@ecom/http';
import { revenueSeries, Series } from '../facts/event-facts';
import type { Interval } from '../facts/time-buckets';
import { resolveSeriesWindow, type TimeWindow } from '../reporting/time-window';
import { DEFAULT_CURRENCY, type Metric, type TimeseriesQuery } from './timeseries.query.dto';

/** a checked time series request: what to read, and how to add it up */
export interface SeriesRequest extends TimeWindow {
  readonly metric: Metric;
  readonly interval: Interval;
  readonly currency?: string;
  /** the stored series to read */
  readonly series: string;
  /** counts for orders and signups, sums of minor units for revenue */
  readonly measure: 'count' | 'sum';
}

export function seriesRequest(q: Pick<TimeseriesQuery, 'metric' | 'interval' | 'currency' | 'from' | 'to'>, now: number): SeriesRequest {
  if (q.currency !== undefined && q.metric !== 'revenue') {
    throw new ValidationProblem([{ field: 'currency', message: 'currency applies to metric=revenue only' }]);
  }
  const window = resolveSeriesWindow(q, q.interval, now);
  const base = { ...window, metric: q.metric, interval: q.interval };
  switch (q.metric) {
    case 'orders':
      return { ...base, series: Series.OrdersPlaced, measure: 'count' };
    case 'signups':
      return { ...base, series: Series.Signups, measure: 'count' };
    case 'revenue': {
      const currency = q.currency ?? DEFAULT_CURRENCY;
      return { ...base, currency, series: revenueSeries(currency), measure: 'sum' };
    }
  }
}
