import { Injectable } from '@nestjs/common';
import { FactsRepository } from '../facts/facts.repository';
import { daySlices, fillBuckets } from '../facts/time-buckets';
import { mapLimit } from '../reporting/map-limit';
import { seriesRequest } from './series-request';
import type { TimeseriesQuery } from './timeseries.query.dto';
import type { TimeseriesView } from './timeseries.view';

/** cassandra reads in flight per series: one per day partition */
const READS_IN_FLIGHT = 16;

@Injectable()
export class TimeseriesService {
  constructor(private readonly facts: FactsRepository) {}

  async series(q: TimeseriesQuery, now = Date.now()): Promise<TimeseriesView> {
    const r = seriesRequest(q, now);
    const slices = daySlices(r.from, r.to);
    // a day bucket is one aggregate per partition; finer buckets fold the partition's minutes
    const values: [number, number][] =
      r.interval === 'day'
        ? await mapLimit(slices, READS_IN_FLIGHT, async (slice): Promise<[number, number]> => [
            slice.start,
            (await this.facts.totals(r.series, slice))[r.measure],
          ])
        : (await mapLimit(slices, READS_IN_FLIGHT, (slice) => this.facts.totalsPerMinute(r.series, slice)))
            .flat()
            .map((m): [number, number] => [m.at, m[r.measure]]);
    return {
      metric: r.metric,
      interval: r.interval,
      ...(r.currency !== undefined && { currency: r.currency }),
      from: new Date(r.from).toISOString(),
      to: new Date(r.to).toISOString(),
      points: fillBuckets(r.from, r.to, r.interval, values),
    };
  }
}
