import { Injectable } from '@nestjs/common';
import { FactsRepository } from '../facts/facts.repository';
import { daySlices, fillBuckets, type DaySlice } from '../facts/time-buckets';
import { mapLimit } from '../reporting/map-limit';
import { RollupsService } from '../rollups/rollups.service';
import { seriesRequest, type SeriesRequest } from './series-request';
import type { TimeseriesQuery } from './timeseries.query.dto';
import type { TimeseriesView } from './timeseries.view';

/** cassandra reads in flight per series: one per day partition */
const READS_IN_FLIGHT = 16;

@Injectable()
export class TimeseriesService {
  constructor(
    private readonly facts: FactsRepository,
    private readonly rollups: RollupsService,
  ) {}

  async series(q: TimeseriesQuery, now = Date.now()): Promise<TimeseriesView> {
    const r = seriesRequest(q, now);
    const slices = daySlices(r.from, r.to);
    // finer buckets fold the minutes of each day partition
    const values: [number, number][] =
      r.interval === 'day'
        ? await this.days(r, slices, now)
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

  /**
   * one value per day: from the day's rollup where a summary left a trusted one, otherwise one aggregate
   * over its partition. a series does not compute rollups itself: it would read every series of the day
   */
  private async days(r: SeriesRequest, slices: readonly DaySlice[], now: number): Promise<[number, number][]> {
    const rolledUp = await this.rollups.trustedDayTotals(slices, r.series, now);
    return mapLimit(slices, READS_IN_FLIGHT, async (slice): Promise<[number, number]> => [
      slice.start,
      (rolledUp.get(slice.day) ?? (await this.facts.totals(r.series, slice)))[r.measure],
    ]);
  }
}
