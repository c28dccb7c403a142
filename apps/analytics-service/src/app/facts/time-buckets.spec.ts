import {
  bucketCount,
  bucketOf,
  ceilTo,
  dayStart,
  daySlices,
  daysInMonth,
  fillBuckets,
  floorTo,
  monthOf,
  utcDay,
  yearOf,
} from './time-buckets';

const t = (iso: string) => Date.parse(iso);

describe('bucket math', () => {
  it('floors and ceils to UTC minute, hour and day boundaries', () => {
    const at = t('2025-03-10T13:47:21.500Z');
    expect(new Date(floorTo(at, 'minute')).toISOString()).toBe('2025-03-10T13:47:00.000Z');
    expect(new Date(ceilTo(at, 'minute')).toISOString()).toBe('2025-03-10T13:48:00.000Z');
    expect(new Date(floorTo(at, 'hour')).toISOString()).toBe('2025-03-10T13:00:00.000Z');
    expect(new Date(ceilTo(at, 'day')).toISOString()).toBe('2025-03-11T00:00:00.000Z');
    // a boundary stays where it is
    expect(ceilTo(t('2025-03-10T00:00:00Z'), 'day')).toBe(t('2025-03-10T00:00:00Z'));
  });

  it('puts a fact in the UTC day and minute it occurred, whatever the offset it was written with', () => {
    expect(bucketOf('2025-03-10T23:59:59.999Z')).toEqual({ day: '2025-03-10', minute: new Date('2025-03-10T23:59:00Z') });
    expect(bucketOf('2025-03-11T00:30:10+02:00')).toEqual({ day: '2025-03-10', minute: new Date('2025-03-10T22:30:00Z') });
    expect(utcDay(t('1999-12-31T23:00:00-05:00'))).toBe('2000-01-01');
    expect(() => bucketOf('nope')).toThrow(TypeError);
  });

  it('names the start, month, year and month length of a day', () => {
    expect(dayStart('2025-03-10')).toBe(t('2025-03-10T00:00:00Z'));
    expect([monthOf('2025-03-10'), monthOf('2025-12-31'), monthOf('2025-01-01')]).toEqual(['2025-03-01', '2025-12-01', '2025-01-01']);
    expect(yearOf('1999-12-31')).toBe(1999);
    expect(['2024-02-10', '2025-02-01', '2025-04-30', '2025-12-05'].map(daysInMonth)).toEqual([29, 28, 30, 31]);
  });

  it('splits a window into the day partitions it touches, clipped, marking whole days', () => {
    expect(daySlices(t('2025-03-10T22:00:00Z'), t('2025-03-13T01:00:00Z'))).toEqual([
      { day: '2025-03-10', start: t('2025-03-10T22:00:00Z'), end: t('2025-03-11T00:00:00Z'), whole: false },
      { day: '2025-03-11', start: t('2025-03-11T00:00:00Z'), end: t('2025-03-12T00:00:00Z'), whole: true },
      { day: '2025-03-12', start: t('2025-03-12T00:00:00Z'), end: t('2025-03-13T00:00:00Z'), whole: true },
      { day: '2025-03-13', start: t('2025-03-13T00:00:00Z'), end: t('2025-03-13T01:00:00Z'), whole: false },
    ]);
    expect(daySlices(t('2025-03-10T00:00:00Z'), t('2025-03-11T00:00:00Z'))).toEqual([
      { day: '2025-03-10', start: t('2025-03-10T00:00:00Z'), end: t('2025-03-11T00:00:00Z'), whole: true },
    ]);
    expect(daySlices(t('2025-03-10T05:00:00Z'), t('2025-03-10T05:00:00Z'))).toEqual([]);
  });

  it('counts buckets, a partial last one included', () => {
    expect(bucketCount(t('2025-03-10T00:00:00Z'), t('2025-03-11T00:00:00Z'), 'minute')).toBe(1440);
    expect(bucketCount(t('2025-03-10T00:00:00Z'), t('2025-03-10T02:30:00Z'), 'hour')).toBe(3);
    expect(bucketCount(t('2025-03-10T00:00:00Z'), t('2025-03-10T00:00:00Z'), 'day')).toBe(0);
  });
});

describe('fillBuckets', () => {
  it('returns one point per bucket, empty ones as 0', () => {
    expect(fillBuckets(t('2025-03-10T10:00:00Z'), t('2025-03-10T10:03:00Z'), 'minute', [])).toEqual([
      { at: '2025-03-10T10:00:00.000Z', value: 0 },
      { at: '2025-03-10T10:01:00.000Z', value: 0 },
      { at: '2025-03-10T10:02:00.000Z', value: 0 },
    ]);
  });

  it('adds minute values into hour buckets, across a day boundary, and ignores values outside the window', () => {
    const points = fillBuckets(t('2025-03-10T22:00:00Z'), t('2025-03-11T01:00:00Z'), 'hour', [
      [t('2025-03-10T22:00:00Z'), 2],
      [t('2025-03-10T22:59:00Z'), 3],
      [t('2025-03-11T00:15:00Z'), 7],
      [t('2025-03-10T21:59:00Z'), 100],
      [t('2025-03-11T01:00:00Z'), 100],
    ]);
    expect(points).toEqual([
      { at: '2025-03-10T22:00:00.000Z', value: 5 },
      { at: '2025-03-10T23:00:00.000Z', value: 0 },
      { at: '2025-03-11T00:00:00.000Z', value: 7 },
    ]);
  });

  it('fills day buckets', () => {
    const points = fillBuckets(t('2025-02-27T00:00:00Z'), t('2025-03-02T00:00:00Z'), 'day', [[t('2025-03-01T00:00:00Z'), 4]]);
    expect(points.map((p) => [p.at.slice(0, 10), p.value])).toEqual([
      ['2025-02-27', 0],
      ['2025-02-28', 0],
      ['2025-03-01', 4],
    ]);
  });
});
