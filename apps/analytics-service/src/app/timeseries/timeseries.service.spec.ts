import { createEnvelope, Topics } from '@ecom/events';
import { factsOf, Series } from '../facts/event-facts';
import type { FactsRepository } from '../facts/facts.repository';
import { InMemoryFacts } from '../facts/in-memory-facts.spec-helper';
import { daySlices } from '../facts/time-buckets';
import { inMemoryRollupsService } from '../rollups/in-memory-rollups.spec-helper';
import { TimeseriesService } from './timeseries.service';
import type { TimeseriesQuery } from './timeseries.query.dto';

const NOW = Date.parse('2025-03-12T00:00:00Z');

describe('TimeseriesService', () => {
  const facts = new InMemoryFacts();
  const service = new TimeseriesService(facts as unknown as FactsRepository, inMemoryRollupsService(facts));
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

describe('TimeseriesService, daily, over rollups', () => {
  it('takes the days a summary rolled up from their rollups, and reads the facts of the others', async () => {
    const DAY = 86_400_000;
    const facts = new InMemoryFacts();
    const rollups = inMemoryRollupsService(facts);
    const service = new TimeseriesService(facts as unknown as FactsRepository, rollups);
    // d + 1 orders on the d-th day of march, each recorded a second after it happened
    for (let d = 0; d < 5; d++)
      for (let k = 0; k <= d; k++) {
        const at = Date.parse('2025-03-01T10:00:00Z') + d * DAY + k * 60_000;
        facts.clock = () => at + 1_000;
        await facts.record(
          factsOf(Topics.OrderPlaced, {
            ...createEnvelope(
              Topics.OrderPlaced,
              { orderId: `o${d}-${k}`, userId: 'u', lines: [{ productId: 'p', quantity: 1 }] },
              { key: 'o' },
            ),
            occurredAt: new Date(at).toISOString(),
          }),
        );
      }
    const now = Date.parse('2025-04-01T00:00:00Z');
    await rollups.sum(daySlices(Date.parse('2025-03-02T00:00:00Z'), Date.parse('2025-03-04T00:00:00Z')), [Series.OrdersPlaced], now);
    facts.daysRead.length = 0;
    const s = await service.series(
      { metric: 'orders', interval: 'day', from: '2025-03-01T00:00:00Z', to: '2025-03-06T00:00:00Z' } as TimeseriesQuery,
      now + 1_000,
    );
    expect(s.points.map((p) => p.value)).toEqual([1, 2, 3, 4, 5]);
    expect(facts.daysRead).toEqual(['2025-03-01', '2025-03-04', '2025-03-05']);
  });
});
