import { ValidationProblem, type FieldError } from '@ecom/http';
import { bucketCount, ceilTo, floorTo, INTERVAL_MS, type Interval } from '../facts/time-buckets';

/** a report covers at most this much time */
export const MAX_RANGE_DAYS = 400;
/** a time series has at most this many points */
export const MAX_POINTS = 1500;
/** without from and to, a report covers the last 24 hours */
export const DEFAULT_RANGE_MS = 24 * 3_600_000;
/** instants outside these bounds are refused rather than turned into odd partitions */
export const EARLIEST = Date.UTC(1970, 0, 1);
export const LATEST = Date.UTC(3000, 0, 1);

/** [from, to) in epoch milliseconds */
export interface TimeWindow {
  readonly from: number;
  readonly to: number;
}

export interface WindowParams {
  readonly from?: string;
  readonly to?: string;
}

function instant(field: 'from' | 'to', value: string | undefined, errors: FieldError[]): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) errors.push({ field, message: `${field} must be an ISO 8601 timestamp, e.g. 2025-01-31T00:00:00Z` });
  else if (ms < EARLIEST || ms > LATEST) errors.push({ field, message: `${field} must be between 1970-01-01 and 3000-01-01` });
  return ms;
}

/**
 * the window of a report: `to` defaults to now and `from` to 24 h before `to`; then it is widened to
 * whole `align` buckets (the facts' resolution is a minute). throws a 400 naming the offending field.
 * the checks look at the instants as given, before widening.
 */
export function resolveWindow(params: WindowParams, now: number, align: Interval = 'minute'): TimeWindow {
  const errors: FieldError[] = [];
  const givenFrom = instant('from', params.from, errors);
  const givenTo = instant('to', params.to, errors);
  if (errors.length > 0) throw new ValidationProblem(errors);
  // the default window ends at now rounded up to a bucket, and spans exactly 24 h of buckets
  const to = givenTo ?? ceilTo(now, align);
  const from = givenFrom ?? to - DEFAULT_RANGE_MS;
  if (from >= to) throw new ValidationProblem([{ field: 'from', message: 'from must be before to' }]);
  if (to - from > MAX_RANGE_DAYS * INTERVAL_MS.day) {
    throw new ValidationProblem([{ field: 'to', message: `from and to must be at most ${MAX_RANGE_DAYS} days apart` }]);
  }
  return { from: floorTo(from, align), to: ceilTo(to, align) };
}

/** the window of a time series, refused with a 400 when it would have more than MAX_POINTS points */
export function resolveSeriesWindow(params: WindowParams, interval: Interval, now: number): TimeWindow {
  const window = resolveWindow(params, now, interval);
  const points = bucketCount(window.from, window.to, interval);
  if (points > MAX_POINTS) {
    throw new ValidationProblem([
      {
        field: 'interval',
        message: `interval=${interval} over this range gives ${points} points, more than ${MAX_POINTS}: narrow from..to or use a coarser interval`,
      },
    ]);
  }
  return window;
}
