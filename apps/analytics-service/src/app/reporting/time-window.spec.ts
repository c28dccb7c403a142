import { ValidationProblem } from '@ecom/http';
import { MAX_POINTS, resolveSeriesWindow, resolveWindow } from './time-window';

const t = (iso: string) => Date.parse(iso);
const iso = (w: { from: number; to: number }) => ({ from: new Date(w.from).toISOString(), to: new Date(w.to).toISOString() });
const NOW = t('2025-03-10T12:34:56.789Z');

/** the fields a 400 lists */
function fieldsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationProblem) return e.errors.map((x) => x.field);
    throw e;
  }
  throw new Error('expected a ValidationProblem');
}

describe('resolveWindow', () => {
  it('defaults to the last 24 h, up to now rounded up to the bucket', () => {
    expect(iso(resolveWindow({}, NOW))).toEqual({ from: '2025-03-09T12:35:00.000Z', to: '2025-03-10T12:35:00.000Z' });
    expect(iso(resolveWindow({}, NOW, 'hour'))).toEqual({ from: '2025-03-09T13:00:00.000Z', to: '2025-03-10T13:00:00.000Z' });
  });

  it('checks the instants as given, before widening them', () => {
    expect(fieldsOf(() => resolveWindow({ from: '2025-03-01T10:00:20Z', to: '2025-03-01T10:00:10Z' }, NOW))).toEqual(['from']);
  });

  it('defaults from to 24 h before a given to, and to to now', () => {
    expect(iso(resolveWindow({ to: '2025-01-02T00:00:00Z' }, NOW))).toEqual({
      from: '2025-01-01T00:00:00.000Z',
      to: '2025-01-02T00:00:00.000Z',
    });
    expect(iso(resolveWindow({ from: '2025-03-10T00:00:00+01:00' }, NOW))).toEqual({
      from: '2025-03-09T23:00:00.000Z',
      to: '2025-03-10T12:35:00.000Z',
    });
  });

  it('aligns outwards to the interval', () => {
    expect(iso(resolveWindow({ from: '2025-03-01T10:30:00Z', to: '2025-03-02T10:30:00Z' }, NOW, 'day'))).toEqual({
      from: '2025-03-01T00:00:00.000Z',
      to: '2025-03-03T00:00:00.000Z',
    });
  });

  it('refuses from not before to, naming from', () => {
    expect(fieldsOf(() => resolveWindow({ from: '2025-03-02T00:00:00Z', to: '2025-03-01T00:00:00Z' }, NOW))).toEqual(['from']);
    expect(fieldsOf(() => resolveWindow({ from: '2025-03-01T00:00:00Z', to: '2025-03-01T00:00:00Z' }, NOW))).toEqual(['from']);
    // from alone, in the future: to defaults to now
    expect(fieldsOf(() => resolveWindow({ from: '2026-01-01T00:00:00Z' }, NOW))).toEqual(['from']);
  });

  it('caps the range at 400 days', () => {
    expect(() => resolveWindow({ from: '2024-01-01T00:00:00Z', to: '2025-02-04T00:00:00Z' }, NOW)).not.toThrow();
    expect(fieldsOf(() => resolveWindow({ from: '2024-01-01T00:00:00Z', to: '2025-02-04T00:00:01Z' }, NOW))).toEqual(['to']);
  });

  it('refuses unparseable and out-of-range instants, each by name', () => {
    expect(fieldsOf(() => resolveWindow({ from: 'yesterday', to: 'later' }, NOW))).toEqual(['from', 'to']);
    expect(fieldsOf(() => resolveWindow({ from: '1969-12-31T00:00:00Z' }, NOW))).toEqual(['from']);
    expect(fieldsOf(() => resolveWindow({ to: '3000-01-02T00:00:00Z' }, NOW))).toEqual(['to']);
  });
});

describe('resolveSeriesWindow', () => {
  it(`allows up to ${MAX_POINTS} points`, () => {
    // 1440 minutes in a day
    expect(resolveSeriesWindow({ from: '2025-03-01T00:00:00Z', to: '2025-03-02T00:00:00Z' }, 'minute', NOW)).toEqual({
      from: t('2025-03-01T00:00:00Z'),
      to: t('2025-03-02T00:00:00Z'),
    });
    // 400 days by day, 62 days by hour
    expect(() => resolveSeriesWindow({ from: '2024-01-01T00:00:00Z', to: '2025-02-04T00:00:00Z' }, 'day', NOW)).not.toThrow();
    expect(() => resolveSeriesWindow({ from: '2025-01-01T00:00:00Z', to: '2025-03-04T12:00:00Z' }, 'hour', NOW)).not.toThrow();
  });

  it('refuses more points, naming interval and saying what to do', () => {
    const call = () => resolveSeriesWindow({ from: '2025-03-01T00:00:00Z', to: '2025-03-03T00:00:00Z' }, 'minute', NOW);
    expect(fieldsOf(call)).toEqual(['interval']);
    expect(call).toThrow(ValidationProblem);
    try {
      call();
    } catch (e) {
      expect((e as ValidationProblem).errors[0].message).toBe(
        'interval=minute over this range gives 2880 points, more than 1500: narrow from..to or use a coarser interval',
      );
    }
  });
});
