import { createEnvelope, Topics, type EventEnvelope } from '@ecom/events';
import { factsOf, type RecordedTopic } from '../facts/event-facts';
import type { FactsRepository } from '../facts/facts.repository';
import { InMemoryFacts } from '../facts/in-memory-facts.spec-helper';
import { inMemoryRollupsService } from '../rollups/in-memory-rollups.spec-helper';
import { SummaryService } from './summary.service';

const at = <T extends EventEnvelope>(env: T, occurredAt: string): T => ({ ...env, occurredAt });

describe('SummaryService', () => {
  const facts = new InMemoryFacts();
  const service = new SummaryService(facts as unknown as FactsRepository, inMemoryRollupsService(facts));
  const record = <T extends RecordedTopic>(topic: T, env: EventEnvelope) => facts.record(factsOf(topic, env as never));
  const confirmed = (orderId: string, occurredAt: string, currency: string, lines: [string, number, number][]) =>
    at(
      createEnvelope(
        Topics.OrderConfirmed,
        {
          orderId,
          userId: 'u',
          lines: lines.map(([productId, quantity, amount]) => ({ productId, quantity, unitPrice: { amount, currency } })),
          total: { amount: lines.reduce((s, [, q, a]) => s + q * a, 0), currency },
        },
        { key: orderId },
      ),
      occurredAt,
    );

  beforeAll(async () => {
    await record(
      Topics.UserRegistered,
      at(
        createEnvelope(Topics.UserRegistered, { userId: 'u1', email: 'a@b.co', name: 'A', role: 'customer' }, { key: 'u1' }),
        '2025-03-09T23:59:59Z',
      ),
    );
    await record(
      Topics.UserRegistered,
      at(
        createEnvelope(Topics.UserRegistered, { userId: 'u2', email: 'c@b.co', name: 'C', role: 'customer' }, { key: 'u2' }),
        '2025-03-11T08:00:00Z',
      ),
    );
    await record(
      Topics.OrderPlaced,
      at(
        createEnvelope(Topics.OrderPlaced, { orderId: 'o1', userId: 'u', lines: [{ productId: 'p', quantity: 1 }] }, { key: 'o1' }),
        '2025-03-10T10:00:00Z',
      ),
    );
    const o1 = confirmed('o1', '2025-03-10T10:01:00Z', 'EUR', [
      ['p1', 2, 500],
      ['p2', 1, 100],
    ]);
    await record(Topics.OrderConfirmed, o1);
    await record(Topics.OrderConfirmed, o1); // redelivered
    await record(Topics.OrderConfirmed, confirmed('o2', '2025-03-11T09:00:00Z', 'EUR', [['p2', 4, 100]]));
    await record(Topics.OrderConfirmed, confirmed('o3', '2025-03-11T09:30:00Z', 'USD', [['p3', 1, 999]]));
    await record(Topics.OrderConfirmed, confirmed('o4', '2025-03-12T00:00:00Z', 'GBP', [['p1', 9, 1]])); // just outside
    await record(
      Topics.OrderRejected,
      at(createEnvelope(Topics.OrderRejected, { orderId: 'o5', userId: 'u', reason: 'r' }, { key: 'o5' }), '2025-03-11T12:00:00Z'),
    );
    await record(
      Topics.OrderCancelled,
      at(createEnvelope(Topics.OrderCancelled, { orderId: 'o1', userId: 'u' }, { key: 'o1' }), '2025-03-11T12:00:00Z'),
    );
  });

  it('adds up every day of the window, once per event, revenue per currency and top products', async () => {
    expect(await service.summary({ from: '2025-03-10T00:00:00Z', to: '2025-03-12T00:00:00Z' })).toEqual({
      from: '2025-03-10T00:00:00.000Z',
      to: '2025-03-12T00:00:00.000Z',
      usersRegistered: 1,
      orders: { placed: 1, confirmed: 3, rejected: 1, cancelled: 1 },
      revenue: [
        { currency: 'EUR', amount: 1100 + 400 },
        { currency: 'USD', amount: 999 },
      ],
      topProducts: [
        { productId: 'p2', quantity: 5 },
        { productId: 'p1', quantity: 2 },
        { productId: 'p3', quantity: 1 },
      ],
    });
  });

  it('reads minutes inside the edge days only', async () => {
    const s = await service.summary({ from: '2025-03-10T10:01:00Z', to: '2025-03-11T09:00:00Z' });
    expect(s).toMatchObject({
      usersRegistered: 1,
      orders: { placed: 0, confirmed: 1, cancelled: 0 },
      revenue: [{ currency: 'EUR', amount: 1100 }],
    });
    expect(s.topProducts).toEqual([
      { productId: 'p1', quantity: 2 },
      { productId: 'p2', quantity: 1 },
    ]);
  });

  it('answers zeros and empty lists for a quiet window', async () => {
    expect(await service.summary({ from: '2020-01-01T00:00:00Z', to: '2020-01-02T00:00:00Z' })).toMatchObject({
      usersRegistered: 0,
      orders: { placed: 0, confirmed: 0, rejected: 0, cancelled: 0 },
      revenue: [],
      topProducts: [],
    });
  });
});
