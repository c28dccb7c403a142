import { dayStart, INTERVAL_MS, type DaySlice } from '../facts/time-buckets';

/**
 * a day is rolled up only once it ended this long ago on the reading instance's clock: events still
 * arriving for it until then are on time, and the day is read from its facts, like today
 */
export const CLOSED_AFTER_MS = 10 * 60_000;

/** when a day may be rolled up, marked dirty, or its rollup trusted (the argument: analytics.schema.ts) */
export class RollupPolicy {
  /** @param maxClockSkewMs the most two instances' clocks may differ */
  constructor(private readonly maxClockSkewMs: number) {}

  /** the slice is a whole day that may be rolled up at `now` */
  closed(slice: DaySlice, now: number): boolean {
    return slice.whole && now >= slice.end + CLOSED_AFTER_MS;
  }

  /**
   * asked once an event's facts are written, with the clock read then: may some instance already have
   * read the day for a rollup? then the day must be marked dirty. on time events are not
   */
  mayBeRolledUp(day: string, now: number): boolean {
    return now >= dayStart(day) + INTERVAL_MS.day + CLOSED_AFTER_MS - this.maxClockSkewMs;
  }

  /** a rollup of a day whose facts were read from `readFrom` on holds every fact of it marked dirty at `dirtySince` */
  trusted(readFrom: number, dirtySince: number | undefined): boolean {
    return dirtySince === undefined || readFrom > dirtySince + this.maxClockSkewMs;
  }
}
