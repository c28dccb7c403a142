// time bucket math, all in UTC and epoch milliseconds. facts are stored per minute inside one
// partition per UTC day; reports fold those minutes into minute, hour or day buckets.

export const INTERVALS = ['minute', 'hour', 'day'] as const;
export type Interval = (typeof INTERVALS)[number];

export const INTERVAL_MS: Readonly<Record<Interval, number>> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
const DAY_MS = INTERVAL_MS.day;

export const floorTo = (ms: number, interval: Interval): number => Math.floor(ms / INTERVAL_MS[interval]) * INTERVAL_MS[interval];
export const ceilTo = (ms: number, interval: Interval): number => Math.ceil(ms / INTERVAL_MS[interval]) * INTERVAL_MS[interval];

/** the UTC date of an instant, as cql `date` text: yyyy-mm-dd */
export const utcDay = (ms: number): string => new Date(floorTo(ms, 'day')).toISOString().slice(0, 10);

/** the instant a day (cql `date` text) starts */
export const dayStart = (day: string): number => Date.parse(`${day}T00:00:00Z`);

/** the first day of the month a day is in: month rollups and the partitions of day rollups go by it */
export const monthOf = (day: string): string => `${day.slice(0, 8)}01`;

/** the year a day is in: the partitions of month rollups and of dirty days go by it */
export const yearOf = (day: string): number => Number(day.slice(0, 4));

/** how many days the month of a day has */
export const daysInMonth = (day: string): number => new Date(Date.UTC(yearOf(day), Number(day.slice(5, 7)), 0)).getUTCDate();

/** how many days a year has */
export const daysInYear = (year: number): number => (Date.UTC(year + 1, 0, 1) - Date.UTC(year, 0, 1)) / DAY_MS;

/** where a fact lands: its day partition and its minute inside it */
export interface FactBucket {
  readonly day: string;
  readonly minute: Date;
}

export function bucketOf(occurredAt: string | Date): FactBucket {
  const ms = new Date(occurredAt).getTime();
  if (Number.isNaN(ms)) throw new TypeError(`not an instant: ${String(occurredAt)}`);
  return { day: utcDay(ms), minute: new Date(floorTo(ms, 'minute')) };
}

/** the part of [from, to) that falls in one day partition */
export interface DaySlice {
  readonly day: string;
  readonly start: number;
  readonly end: number;
  /** the slice covers its whole day, so the partition needs no range restriction */
  readonly whole: boolean;
}

/** the day partitions a window [from, to) touches, each clipped to the window */
export function daySlices(from: number, to: number): DaySlice[] {
  const slices: DaySlice[] = [];
  for (let dayStart = floorTo(from, 'day'); dayStart < to; dayStart += DAY_MS) {
    const start = Math.max(from, dayStart);
    const end = Math.min(to, dayStart + DAY_MS);
    if (start >= end) continue;
    slices.push({ day: utcDay(dayStart), start, end, whole: start === dayStart && end === dayStart + DAY_MS });
  }
  return slices;
}

/** how many buckets of `interval` a window [from, to) has; a partial last bucket counts */
export const bucketCount = (from: number, to: number, interval: Interval): number =>
  Math.max(0, Math.ceil((to - from) / INTERVAL_MS[interval]));

export interface Point {
  /** the start of the bucket, ISO 8601 in UTC */
  readonly at: string;
  readonly value: number;
}

/**
 * one point per bucket of [from, to), `from` aligned to the interval: values (instant, amount) are
 * added to the bucket they fall in, values outside the window are ignored, and empty buckets are 0.
 */
export function fillBuckets(from: number, to: number, interval: Interval, values: Iterable<readonly [at: number, value: number]>): Point[] {
  const step = INTERVAL_MS[interval];
  const sums = new Array<number>(bucketCount(from, to, interval)).fill(0);
  for (const [at, value] of values) {
    if (at < from || at >= to) continue;
    sums[Math.floor((at - from) / step)] += value;
  }
  return sums.map((value, i) => ({ at: new Date(from + i * step).toISOString(), value }));
}
