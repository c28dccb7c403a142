import type { EventProducer, TopicsReady } from '@ecom/kafka';
import { Metrics } from '@ecom/observability';
import { samples } from '@ecom/testing';
import { MongoOutboxRelay, scanInterval } from './mongo-outbox.relay';

describe('the orphan scan interval', () => {
  it('is 2 s while a scan is quick, as on MongoDB with its outboxPending index', () => {
    expect(scanInterval(0)).toBe(2_000);
    expect(scanInterval(3)).toBe(2_000);
    expect(scanInterval(40)).toBe(2_000);
  });

  it('grows with a slow scan, so that scans take at most 2 % of the time on a server that reads every document', () => {
    // 59,000 stock reservations on the local MongoDB-wire server: 2.5 s a scan
    expect(scanInterval(2_500)).toBe(125_000);
    for (const cost of [41, 100, 700, 2_500, 10_000]) expect(cost / scanInterval(cost)).toBeCloseTo(0.02, 10);
  });
});

describe('the backlog the metrics read', () => {
  const occurredAt = new Date(Date.now() - 60_000).toISOString();

  // a collection as the relay reads it for the metrics: find(...).toArray(), counted, slow or failing on demand
  function collection(docs: unknown[]) {
    const calls = { n: 0 };
    let next: () => Promise<unknown[]> = async () => docs;
    const model = { find: () => ({ toArray: () => (calls.n++, next()) }) };
    return { model, calls, failNext: (e: Error) => (next = () => ((next = async () => docs), Promise.reject(e))) };
  }

  function relayOver(model: unknown) {
    const metrics = new Metrics('probe');
    const relay = new MongoOutboxRelay({} as EventProducer, {} as TopicsReady, metrics);
    relay.watch(model as never);
    const scrape = async () => samples(await metrics.registry.metrics(), 'outbox_events', { db_system_name: 'mongodb' });
    return { scrape, metrics };
  }

  beforeEach(() => jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'performance'] }));
  afterEach(() => jest.useRealTimers());

  it('reads the collections once per scan interval, and counts the oldest event up to now', async () => {
    const c = collection([{ outbox: [{ envelope: { occurredAt } }, { envelope: { occurredAt } }] }]);
    const { scrape, metrics } = relayOver(c.model);
    expect(await scrape()).toEqual([2]);
    expect(c.calls.n).toBe(1);
    jest.advanceTimersByTime(1_500);
    expect(await scrape()).toEqual([2]);
    expect(c.calls.n).toBe(1);
    const age = samples(await metrics.registry.metrics(), 'outbox_oldest_event_age_seconds')[0];
    expect(age).toBeGreaterThanOrEqual(61.5);
    // past the 2 s, and past the 1 s in which one scrape's gauges share a read
    jest.advanceTimersByTime(1_100);
    await scrape();
    expect(c.calls.n).toBe(2);
  });

  it('reads again at the next scrape after a read that failed, once the store is back', async () => {
    const c = collection([]);
    const { scrape } = relayOver(c.model);
    c.failNext(new Error('server selection timed out'));
    expect(await scrape()).toEqual([]);
    jest.advanceTimersByTime(1_001);
    expect(await scrape()).toEqual([0]);
    expect(c.calls.n).toBe(2);
  });
});
