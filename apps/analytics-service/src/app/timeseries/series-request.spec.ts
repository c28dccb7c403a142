import { ValidationProblem } from '@ecom/http';
import { seriesRequest } from './series-request';

const NOW = Date.parse('2025-03-10T12:34:56Z');

describe('seriesRequest', () => {
  it('reads placed orders and sign-ups as counts', () => {
    expect(seriesRequest({ metric: 'orders', interval: 'hour' }, NOW)).toMatchObject({
      series: 'orders.placed',
      measure: 'count',
      from: Date.parse('2025-03-09T13:00:00Z'),
      to: Date.parse('2025-03-10T13:00:00Z'),
    });
    expect(seriesRequest({ metric: 'signups', interval: 'day' }, NOW)).toMatchObject({ series: 'signups', measure: 'count' });
  });

  it('sums revenue in one currency, EUR unless told', () => {
    expect(seriesRequest({ metric: 'revenue', interval: 'minute' }, NOW)).toMatchObject({
      series: 'revenue.EUR',
      measure: 'sum',
      currency: 'EUR',
    });
    expect(seriesRequest({ metric: 'revenue', interval: 'minute', currency: 'USD' }, NOW)).toMatchObject({
      series: 'revenue.USD',
      currency: 'USD',
    });
  });

  it('refuses a currency for a metric that has none', () => {
    expect(() => seriesRequest({ metric: 'orders', interval: 'hour', currency: 'EUR' }, NOW)).toThrow(ValidationProblem);
  });
});
