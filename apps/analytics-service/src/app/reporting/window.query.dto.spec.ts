import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { fieldErrors } from '@ecom/http';
import { TimeseriesQuery } from '../timeseries/timeseries.query.dto';
import { isInstant } from './window.query.dto';

// the same options as the global ValidationPipe of every service
const check = (q: object) => {
  const query = plainToInstance(TimeseriesQuery, q);
  return {
    query,
    fields: [...new Set(fieldErrors(validateSync(query, { whitelist: true, forbidNonWhitelisted: true })).map((e) => e.field))].sort(),
  };
};

describe('isInstant', () => {
  it.each([
    '2025-01-31',
    '2025-01-31T10:00Z',
    '2025-01-31T10:00:00Z',
    '2025-01-31T10:00:00.123Z',
    '2025-01-31T10:00:00+01:00',
    '2024-02-29T00:00:00Z',
  ])('accepts %s', (v) => expect(isInstant(v)).toBe(true));

  it.each([
    '2025-01-31T10:00:00',
    '2025-02-30T00:00:00Z',
    '2025-13-01',
    '31/01/2025',
    '1738317600000',
    '2025-01-31 10:00:00Z',
    '',
    42,
    ['2025-01-31'],
  ])('refuses %p', (v) => expect(isInstant(v)).toBe(false));
});

describe('TimeseriesQuery', () => {
  it('needs a metric and defaults the interval to hour', () => {
    expect(check({}).fields).toEqual(['metric']);
    expect(check({ metric: 'orders' })).toMatchObject({ fields: [], query: { metric: 'orders', interval: 'hour' } });
  });

  it('lists every bad field', () => {
    expect(check({ metric: 'visits', interval: 'week', currency: 'euro', from: 'monday', to: '2025-01-01T00:00:00' }).fields).toEqual([
      'currency',
      'from',
      'interval',
      'metric',
      'to',
    ]);
  });

  it('refuses unknown parameters', () => {
    expect(check({ metric: 'orders', limit: '5' }).fields).toEqual(['limit']);
  });
});
