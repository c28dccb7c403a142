import { createEnvelope, Topics } from '@ecom/events';
import { factsOf } from '../facts/event-facts';
import type { FactsRepository } from '../facts/facts.repository';
import { InMemoryFacts } from '../facts/in-memory-facts.spec-helper';
import { TimeseriesService } from './timeseries.service';
import type { TimeseriesQuery } from './timeseries.query.dto';

const NOW = Date.parse('2025-03-12T00:00:00Z');

describe('TimeseriesService', () => {
  const facts = new InMemoryFacts();
  const service = new TimeseriesService(facts as unknown as FactsRepository);
  const q = (query: Partial<TimeseriesQuery>) => service.series({ interval: 'hour', ...query } as TimeseriesQuery, NOW);
  const placed = (orderId: string, occurredAt: string) =>
    facts.record(
      factsOf(Topics.OrderPlaced, {
        ...createEnvelope(Topics.OrderPlaced, { orderId, userId: 'u', lines: [{ productId: 'p', quantity: 1 }] }, { key: orderId }),
        occurredAt,
      }),
    );
  const confirmed = (orderId: string, occurredAt: string, amount: number, currency: string) =>
    facts.record(
      factsOf(Topics.OrderConfirmed, {
        ...createEnvelope(
          Topics.OrderConfirmed,
          { orderId, userId: 'u', lines: [{ productId: 'p', quantity: 1, unitPrice: { amount, currency } }], total: { amount, currency } },
          { key: orderId },
        ),
        occurredAt,
      }),
    );

  beforeAll(async () => {
    await placed('o1', '2025-03-10T23:10:00Z');
    await placed('o2', '2025-03-10T23:50:00Z');
    await placed('o3', '2025-03-11T00:05:00Z');
    await confirmed('o1', '2025-03-10T23:11:00Z', 1000, 'EUR');
    await confirmed('o2', '2025-03-11T00:06:00Z', 300, 'EUR');
    await confirmed('o3', '2025-03-11T00:07:00Z', 700, 'USD');
  });

  it('counts placed orders per hour across midnight, empty hours as 0', async () => {
    const s = await q({ metric: 'orders', from: '2025-03-10T22:00:00Z', to: '2025-03-11T02:00:00Z' });
    expect(s).toMatchObject({ metric: 'orders', interval: 'hour', from: '2025-03-10T22:00:00.000Z', to: '2025-03-11T02:00:00.000Z' });
    expect(s).not.toHaveProperty('currency');
    expect(s.points.map((p) => p.value)).toEqual([0, 2, 1, 0]);
  });

  it('sums revenue in the asked currency, EUR by default, per day', async () => {
    const eur = await q({ metric: 'revenue', interval: 'day', from: '2025-03-10T00:00:00Z', to: '2025-03-12T00:00:00Z' });
    expect(eur.currency).toBe('EUR');
    expect(eur.points).toEqual([
      { at: '2025-03-10T00:00:00.000Z', value: 1000 },
      { at: '2025-03-11T00:00:00.000Z', value: 300 },
    ]);
    const usd = await q({
      metric: 'revenue',
      currency: 'USD',
      interval: 'minute',
      from: '2025-03-11T00:06:00Z',
      to: '2025-03-11T00:08:00Z',
    });
    expect(usd.points.map((p) => p.value)).toEqual([0, 700]);
  });

  it('widens the window to whole buckets', async () => {
    const s = await q({ metric: 'signups', interval: 'day', from: '2025-03-10T12:00:00Z', to: '2025-03-11T12:00:00Z' });
    expect(s).toMatchObject({ from: '2025-03-10T00:00:00.000Z', to: '2025-03-12T00:00:00.000Z' });
    expect(s.points).toHaveLength(2);
  });
});
