import type { MessageHandler } from '@nestjs/microservices';
import type { KafkaMessage } from 'kafkajs';
import { createEnvelope, Topics, type EventEnvelope } from '@ecom/events';
import { currentCorrelationId, Metrics } from '@ecom/observability';
import { CONSUMER_MAX_BATCH, HEADER_EVENT_ID } from '../constants';
import { KafkaMetrics } from '../metrics/kafka-metrics';
import type { EventContext } from './event-context';
import { OffsetCommitter } from './offset-committer';
import { PartitionConsumer } from './partition-consumer';

const message = (orderId: string, offset: number): KafkaMessage => {
  const envelope = createEnvelope(
    Topics.OrderConfirmed,
    {
      orderId,
      userId: 'u',
      lines: [{ productId: 'p', quantity: 1, unitPrice: { amount: 100, currency: 'EUR' } }],
      total: { amount: 100, currency: 'EUR' },
    },
    { key: orderId, correlationId: `corr-${orderId}` },
  );
  return {
    key: Buffer.from(orderId),
    value: Buffer.from(JSON.stringify(envelope)),
    offset: String(offset),
    timestamp: '1700000000000',
    attributes: 0,
    headers: { [HEADER_EVENT_ID]: envelope.id },
  } as KafkaMessage;
};

type Call = { orderIds: string[]; contextOffset: string };

function handlerOf(batch: boolean, calls: Call[], fail?: (orderIds: string[]) => Error | undefined): MessageHandler {
  const handler = (async (data: EventEnvelope | EventEnvelope[], context: EventContext) => {
    const orderIds = (Array.isArray(data) ? data : [data]).map((e) => (e.payload as { orderId: string }).orderId);
    calls.push({ orderIds, contextOffset: context.getMessage().offset });
    const error = fail?.(orderIds);
    if (error) throw error;
  }) as MessageHandler;
  handler.extras = batch ? { batch: true } : undefined;
  return handler;
}

function setUp(handler: MessageHandler) {
  const commits: { topic: string; partition: number; offset: string }[][] = [];
  const committer = new OffsetCommitter({ commitOffsets: async (o) => void commits.push(o) }, 60_000, { warn: () => undefined });
  const resolved: string[] = [];
  let current = true;
  const consumer = new PartitionConsumer('test-group', {
    handler: () => handler,
    committer,
    stopping: () => false,
    inFlight: () => undefined,
    process: () => ({
      groupId: 'test-group',
      maxRetries: 0,
      backoffMs: 1,
      sendDeadLetter: async () => undefined,
      sleep: async () => undefined,
      stopping: () => false,
      dependenciesHealthy: async () => true,
      heartbeat: async () => undefined,
      stalled: () => undefined,
      failedAttempt: () => undefined,
      log: { warn: () => undefined, error: () => undefined },
    }),
    metrics: new KafkaMetrics(new Metrics('test')),
  });
  const controls = {
    resolveOffset: (o: string) => void resolved.push(o),
    heartbeat: async () => undefined,
    current: () => current,
  };
  const consume = (messages: KafkaMessage[]) =>
    consumer.batch({ topic: Topics.OrderConfirmed, physical: 'it.order.confirmed', partition: 2, messages }, controls);
  return {
    consume,
    resolved,
    commits: async () => {
      await committer.stop();
      return commits.flat();
    },
    leave: () => (current = false),
  };
}

describe('PartitionConsumer', () => {
  it('hands an @EventHandler one message at a time, resolving each', async () => {
    const calls: Call[] = [];
    const { consume, resolved, commits } = setUp(handlerOf(false, calls));
    await consume([message('a', 5), message('b', 6), message('c', 7)]);
    expect(calls.map((c) => c.orderIds)).toEqual([['a'], ['b'], ['c']]);
    expect(resolved).toEqual(['5', '6', '7']);
    expect(await commits()).toEqual([{ topic: 'it.order.confirmed', partition: 2, offset: '8' }]);
  });

  it('hands an @EventBatchHandler the fetched messages in one call, in parts of at most CONSUMER_MAX_BATCH', async () => {
    const calls: Call[] = [];
    const { consume, resolved, commits } = setUp(handlerOf(true, calls));
    const n = CONSUMER_MAX_BATCH + 3;
    await consume(Array.from({ length: n }, (_, i) => message(`o${i}`, 100 + i)));
    expect(calls.map((c) => c.orderIds.length)).toEqual([CONSUMER_MAX_BATCH, 3]);
    expect(calls.flatMap((c) => c.orderIds)).toEqual(Array.from({ length: n }, (_, i) => `o${i}`));
    // the context names each part's last message
    expect(calls.map((c) => c.contextOffset)).toEqual([String(100 + CONSUMER_MAX_BATCH - 1), String(100 + n - 1)]);
    expect(resolved).toEqual([String(100 + CONSUMER_MAX_BATCH - 1), String(100 + n - 1)]);
    expect(await commits()).toEqual([{ topic: 'it.order.confirmed', partition: 2, offset: String(100 + n) }]);
  });

  it('splits a failing batch and still handles the events that do not fail', async () => {
    const calls: Call[] = [];
    const { consume, resolved } = setUp(handlerOf(true, calls, (ids) => (ids.includes('bad') ? new Error('bad event') : undefined)));
    await consume([message('a', 1), message('bad', 2), message('c', 3)]);
    expect(calls.map((c) => c.orderIds)).toEqual([['a', 'bad', 'c'], ['a'], ['bad'], ['c']]);
    expect(resolved).toEqual(['3']);
  });

  it('leaves the rest of a fetched batch once the partition is no longer its own', async () => {
    const calls: Call[] = [];
    let rebalanced = () => undefined as void;
    // the partition goes to another member while the first message is handled
    const { consume, resolved, commits, leave } = setUp(handlerOf(false, calls, () => void rebalanced()));
    rebalanced = leave;
    await consume([message('a', 1), message('b', 2)]);
    expect(calls.map((c) => c.orderIds)).toEqual([['a']]);
    expect(resolved).toEqual(['1']);
    expect(await commits()).toEqual([{ topic: 'it.order.confirmed', partition: 2, offset: '2' }]);
  });

  it("runs each event's own part of a batch with that event's correlation id (EventContext.within)", async () => {
    const seen: (string | undefined)[] = [];
    const handler = (async (events: EventEnvelope[], context: EventContext) => {
      seen.push(currentCorrelationId()); // the batch as a whole: no one request's id
      for (const event of events) seen.push(context.within(event, () => currentCorrelationId()));
    }) as MessageHandler;
    handler.extras = { batch: true };
    await setUp(handler).consume([message('a', 1), message('b', 2)]);
    expect(seen).toEqual([undefined, 'corr-a', 'corr-b']);
  });
});
