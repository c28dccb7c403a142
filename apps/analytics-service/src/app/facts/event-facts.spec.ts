import { createEnvelope, Topics } from '@ecom/events';
import { factsOf, revenueSeries, Series } from './event-facts';

const at = <T extends object>(env: T, occurredAt: string): T => ({ ...env, occurredAt });

describe('factsOf', () => {
  it('counts a sign-up and keeps no name or email in the history', () => {
    const env = at(
      createEnvelope(Topics.UserRegistered, { userId: 'u-1', email: 'ann@example.com', name: 'Ann', role: 'customer' }, { key: 'u-1' }),
      '2025-03-10T12:34:56.789Z',
    );
    const facts = factsOf(Topics.UserRegistered, env);
    expect(facts).toMatchObject({
      eventId: env.id,
      eventType: 'user.registered',
      bucket: { day: '2025-03-10', minute: new Date('2025-03-10T12:34:00Z') },
      series: [{ series: Series.Signups, value: 1 }],
      currencies: [],
      products: [],
    });
    expect(JSON.parse(facts.history)).toEqual({ userId: 'u-1', role: 'customer' });
  });

  it('turns a confirmed order into a count, its revenue in its currency and quantities per product', () => {
    const env = createEnvelope(
      Topics.OrderConfirmed,
      {
        orderId: 'o-1',
        userId: 'u-1',
        lines: [
          { productId: 'p-1', quantity: 2, unitPrice: { amount: 500, currency: 'USD' } },
          { productId: 'p-2', quantity: 1, unitPrice: { amount: 250, currency: 'USD' } },
          { productId: 'p-1', quantity: 3, unitPrice: { amount: 500, currency: 'USD' } },
        ],
        total: { amount: 2750, currency: 'USD' },
      },
      { key: 'o-1' },
    );
    const facts = factsOf(Topics.OrderConfirmed, env);
    expect(facts.series).toEqual([
      { series: Series.OrdersConfirmed, value: 1 },
      { series: revenueSeries('USD'), value: 2750 },
    ]);
    expect(facts.currencies).toEqual(['USD']);
    // one row per product and event, so the same product twice in an order adds up instead of overwriting
    expect(facts.products).toEqual([
      { productId: 'p-1', quantity: 5 },
      { productId: 'p-2', quantity: 1 },
    ]);
  });

  it.each([
    [Topics.OrderPlaced, Series.OrdersPlaced, { orderId: 'o', userId: 'u', lines: [{ productId: 'p', quantity: 1 }] }],
    [Topics.OrderRejected, Series.OrdersRejected, { orderId: 'o', userId: 'u', reason: 'out of stock' }],
    [Topics.OrderCancelled, Series.OrdersCancelled, { orderId: 'o', userId: 'u' }],
  ] as const)('counts %s', (topic, series, payload) => {
    const facts = factsOf(topic, createEnvelope(topic, payload as never, { key: 'o' }));
    expect(facts.series).toEqual([{ series, value: 1 }]);
    expect(facts.products).toEqual([]);
  });

  it('gives the same rows under the same keys for a redelivered event', () => {
    const env = createEnvelope(Topics.OrderPlaced, { orderId: 'o', userId: 'u', lines: [{ productId: 'p', quantity: 1 }] }, { key: 'o' });
    const redelivered = JSON.parse(JSON.stringify(env));
    expect(factsOf(Topics.OrderPlaced, redelivered)).toEqual(factsOf(Topics.OrderPlaced, env));
  });
});
