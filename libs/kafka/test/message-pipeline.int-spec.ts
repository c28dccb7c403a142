import {
  Catch,
  Controller,
  Injectable,
  Module,
  UseFilters,
  UseInterceptors,
  type ArgumentsHost,
  type CallHandler,
  type ExecutionContext,
  type INestApplication,
  type NestInterceptor,
  type RpcExceptionFilter,
} from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { Observable, throwError } from 'rxjs';
import { AppConfigModule, kafkaConfig, loadConfig, readEnv, serviceConfig } from '@ecom/config';
import { createEnvelope, deadLetterTopic, Topics, type EventEnvelope, type EventsMap } from '@ecom/events';
import { HealthModule } from '@ecom/health';
import { currentCorrelationId, Metrics } from '@ecom/observability';
import { findMessage, samples, waitFor } from '@ecom/testing';
import {
  DLT_HEADERS,
  EventBatchHandler,
  EventContext,
  EventHandler,
  EventProducer,
  HEADER_EVENT_ID,
  KAFKA,
  KafkaModule,
  UnprocessableEvent,
} from '../src';
import { consumerApp } from '../testing';

// kafka messages go through nest's pipeline like requests do: an interceptor and an exception filter
// of the handler run, the handler sees the event's correlation id (the shared message interceptor),
// and the error a filter passes on still decides what the consumer does (here: dead-letter at once)

const run = randomUUID().slice(0, 8);
const intercepted: { eventId: string; topic: string; offset: string }[] = [];
const caught: unknown[] = [];
const handled: { eventId: string; correlationId: string | undefined }[] = [];

@Injectable()
class RecordingInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const event = context.switchToRpc().getData<EventEnvelope<EventsMap['order.placed']>>();
    const where = context.switchToRpc().getContext<EventContext>();
    if (event.payload.orderId.endsWith(run))
      intercepted.push({ eventId: event.id, topic: where.getTopic(), offset: where.getMessage().offset });
    return next.handle();
  }
}

@Catch()
class RecordingFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    caught.push(exception);
    return throwError(() => exception);
  }
}

@Controller()
class OrderPlacedMessageController {
  @EventHandler(Topics.OrderPlaced)
  @UseInterceptors(RecordingInterceptor)
  @UseFilters(RecordingFilter)
  async onOrderPlaced(@Payload() event: EventEnvelope<EventsMap['order.placed']>): Promise<void> {
    if (!event.payload.orderId.endsWith(run)) return; // other tests of the run share the topic
    if (event.payload.userId === 'cannot-be-done') throw new UnprocessableEvent('no such customer');
    handled.push({ eventId: event.id, correlationId: currentCorrelationId() });
  }
}

// what the batch handler was called with, and which calls succeeded
const batchCalls: { orderIds: string[]; ok: boolean; correlationId: string | undefined }[] = [];

@Controller()
class OrderConfirmedMessageController {
  @EventBatchHandler(Topics.OrderConfirmed)
  async onOrdersConfirmed(events: EventEnvelope<EventsMap['order.confirmed']>[]): Promise<void> {
    const orderIds = events.map((e) => e.payload.orderId).filter((id) => id.endsWith(run));
    if (orderIds.length === 0) return;
    const ok = !orderIds.some((id) => id.startsWith('poison'));
    batchCalls.push({ orderIds, ok, correlationId: currentCorrelationId() });
    if (!ok) throw new Error('this order cannot be recorded');
  }
}

@Module({ controllers: [OrderPlacedMessageController, OrderConfirmedMessageController] })
class Handlers {}

const confirmed = (orderId: string) =>
  createEnvelope(
    Topics.OrderConfirmed,
    {
      orderId,
      userId: 'u-1',
      lines: [{ productId: 'p-1', quantity: 1, unitPrice: { amount: 100, currency: 'EUR' } }],
      total: { amount: 100, currency: 'EUR' },
    },
    { key: `o-${run}`, correlationId: `corr-${orderId}` },
  );

const placed = (orderId: string, userId: string) =>
  createEnvelope(
    Topics.OrderPlaced,
    { orderId, userId, lines: [{ productId: 'p-1', quantity: 1 }] },
    { key: `o-${run}`, correlationId: `corr-${orderId}` },
  );

describe('kafka messages through the nest pipeline (real kafka)', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const name = `it-pipeline-${run}`;
    const values = loadConfig([serviceConfig(name), kafkaConfig(name)], {
      ...readEnv(),
      KAFKA_GROUP_ID: name,
      KAFKA_RETRY_BACKOFF_MS: '20',
    });
    app = await consumerApp([AppConfigModule.forRoot(values), HealthModule, KafkaModule, Handlers]);
  });

  afterAll(async () => {
    await app?.close();
  });

  it("runs the handler's interceptor, with the event's correlation id in force inside the handler", async () => {
    const event = placed(`ok-${run}`, 'u-1');
    await app.get(EventProducer).sendBatch([{ topic: Topics.OrderPlaced, envelope: event }]);
    await waitFor('the event to be handled', () => handled.some((h) => h.eventId === event.id), { timeoutMs: 60_000 });
    expect(handled.find((h) => h.eventId === event.id)).toEqual({ eventId: event.id, correlationId: `corr-ok-${run}` });
    expect(intercepted.find((i) => i.eventId === event.id)).toMatchObject({
      topic: Topics.OrderPlaced,
      offset: expect.stringMatching(/^\d+$/),
    });
  });

  it("runs the handler's exception filter, and the error it passes on still sends the event to the dead-letter topic", async () => {
    const event = placed(`bad-${run}`, 'cannot-be-done');
    await app.get(EventProducer).sendBatch([{ topic: Topics.OrderPlaced, envelope: event }]);
    const dead = await findMessage(
      app.get<Kafka>(KAFKA),
      deadLetterTopic(Topics.OrderPlaced),
      (m) => m.headers?.[HEADER_EVENT_ID]?.toString() === event.id,
      60_000,
    );
    expect(dead.headers?.[DLT_HEADERS.reason]?.toString()).toBe('unprocessable');
    expect(dead.headers?.[DLT_HEADERS.error]?.toString()).toBe('no such customer');
    expect(caught.some((e) => e instanceof UnprocessableEvent && e.message === 'no such customer')).toBe(true);
    expect(handled.some((h) => h.eventId === event.id)).toBe(false);
  });

  it('counts what it consumed and sent, and reads its lag and dead letters from the broker when scraped', async () => {
    const group = `it-pipeline-${run}`;
    const scrape = () => app.get(Metrics).registry.metrics();
    const consumed = { messaging_destination_name: Topics.OrderPlaced, messaging_consumer_group_name: group };
    const dlt = { messaging_destination_name: deadLetterTopic(Topics.OrderPlaced) };
    const text = await scrape();
    // the two events above (other tests' events on the shared topic are handled too)
    expect(samples(text, 'messaging_client_consumed_messages_total', { ...consumed, outcome: 'handled' })[0]).toBeGreaterThanOrEqual(1);
    expect(samples(text, 'messaging_client_consumed_messages_total', { ...consumed, outcome: 'dead_lettered' })).toEqual([1]);
    expect(samples(text, 'messaging_process_duration_seconds_count', { ...consumed, outcome: 'dead_lettered' })).toEqual([1]);
    expect(
      samples(text, 'messaging_client_sent_messages_total', { messaging_destination_name: Topics.OrderPlaced, outcome: 'sent' }),
    ).toEqual([2]);
    expect(samples(text, 'messaging_client_sent_messages_total', { ...dlt, outcome: 'sent' })).toEqual([1]);
    expect(samples(text, 'messaging_kafka_dead_letter_messages', dlt)[0]).toBeGreaterThanOrEqual(1);
    // once the offsets are committed, nothing is behind on any partition
    await waitFor(
      'the lag to reach 0',
      async () => {
        const lag = samples(await scrape(), 'messaging_kafka_consumer_lag', consumed);
        return lag.length > 0 && lag.every((v) => v === 0);
      },
      { timeoutMs: 30_000 },
    );
  });

  it('hands an @EventBatchHandler the events that queued up together, each handled once', async () => {
    const events = Array.from({ length: 20 }, (_, i) => confirmed(`many${i}-${run}`));
    // one produce request, one partition (one key): the consumer fetches them together
    await app.get(EventProducer).sendBatch(events.map((envelope) => ({ topic: Topics.OrderConfirmed, envelope })));
    const ids = events.map((e) => e.payload.orderId);
    const handledOnce = () => ids.every((id) => batchCalls.filter((c) => c.ok && c.orderIds.includes(id)).length === 1);
    await waitFor('every event handled', handledOnce, { timeoutMs: 60_000 });
    expect(Math.max(...batchCalls.filter((c) => c.ok).map((c) => c.orderIds.length))).toBeGreaterThan(1);
    // events of many requests: no one correlation id is in force for a batch of several
    expect(batchCalls.find((c) => c.orderIds.length > 1)?.correlationId).toBeUndefined();
  });

  it('splits a batch with an event that fails for good: the others are handled, that one alone is dead-lettered', async () => {
    const events = [confirmed(`before-${run}`), confirmed(`poison-${run}`), confirmed(`after-${run}`)];
    await app.get(EventProducer).sendBatch(events.map((envelope) => ({ topic: Topics.OrderConfirmed, envelope })));
    const dead = await findMessage(
      app.get<Kafka>(KAFKA),
      deadLetterTopic(Topics.OrderConfirmed),
      (m) => m.headers?.[HEADER_EVENT_ID]?.toString() === events[1].id,
      60_000,
    );
    expect(dead.headers?.[DLT_HEADERS.reason]?.toString()).toBe('failed');
    await waitFor('the others handled', () =>
      [events[0], events[2]].every((e) => batchCalls.some((c) => c.ok && c.orderIds.includes(e.payload.orderId))),
    );
    // alone, each runs with its own correlation id again
    expect(batchCalls.find((c) => c.ok && c.orderIds.length === 1 && c.orderIds[0] === `after-${run}`)?.correlationId).toBe(
      `corr-after-${run}`,
    );
    expect(batchCalls.filter((c) => c.ok && c.orderIds.includes(`poison-${run}`))).toEqual([]);
  });
});
