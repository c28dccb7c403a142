import { Controller, Module, type INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { AppConfigModule, kafkaConfig, loadConfig, postgresConfig, readEnv, serviceConfig } from '@ecom/config';
import { PostgresModule } from '../src';
import { deadLetterTopic, Topics, type EventEnvelope, type EventsMap } from '@ecom/events';
import { HealthModule } from '@ecom/health';
import { Metrics } from '@ecom/observability';
import { createTempDatabase, findMessage, samples, waitFor } from '@ecom/testing';
import { claimEvent, outboxMigrations, PgOutbox, PgOutboxModule, PgOutboxRelay } from '../src';
import { DLT_HEADERS, EventHandler, EventProducer, KAFKA, KafkaModule } from '@ecom/kafka';
import { consumerApp } from '@ecom/kafka/testing';

// two "services" on the real stack: one writes order events through the postgres outbox, the
// other consumes them in its own group and records its effect idempotently.

const run = randomUUID().slice(0, 8);
const CONSUMER = `it-notifier-${run}`;
const effects = `create table if not exists it_effect (event_id uuid primary key, order_id text not null)`;
const calls: string[] = [];

@Controller()
class OrderPlacedMessageController {
  constructor(private readonly dataSource: DataSource) {}

  @EventHandler(Topics.OrderPlaced)
  async onOrderPlaced(event: EventEnvelope<EventsMap['order.placed']>): Promise<void> {
    if (!event.payload.orderId.includes(run)) return; // events of other runs share the topic
    calls.push(event.id);
    if (event.payload.userId === 'always-fails') throw new Error('handler refuses this order');
    await this.dataSource.transaction(async (em) => {
      if (!(await claimEvent(em, CONSUMER, event.id))) return;
      await em.query('insert into it_effect (event_id, order_id) values ($1, $2)', [event.id, event.payload.orderId]);
    });
  }
}

function order(id: string, userId = 'u-1'): EventsMap['order.placed'] {
  return { orderId: `${id}-${run}`, userId, lines: [{ productId: 'p-1', quantity: 1 }] };
}

async function service(name: string, database: string, extra: { controllers?: unknown[] } = {}): Promise<INestApplicationContext> {
  const values = loadConfig([serviceConfig(name), kafkaConfig(name), postgresConfig(database)], {
    ...readEnv(),
    KAFKA_GROUP_ID: name,
    KAFKA_MAX_RETRIES: '2',
    KAFKA_RETRY_BACKOFF_MS: '50',
  });
  @Module({ controllers: (extra.controllers ?? []) as never[] })
  class Handlers {}
  return consumerApp([
    AppConfigModule.forRoot(values),
    HealthModule,
    PostgresModule.forRoot({ entities: [], migrations: outboxMigrations }),
    KafkaModule,
    PgOutboxModule,
    Handlers,
  ]);
}

describe('outbox → kafka → idempotent consumer (real postgres and kafka)', () => {
  let db: Awaited<ReturnType<typeof createTempDatabase>>;
  let producerSide: INestApplicationContext;
  let consumerSide: INestApplicationContext;
  let dataSource: DataSource;
  const effectCount = async (orderId: string) =>
    Number((await dataSource.query('select count(*)::int as n from it_effect where order_id = $1', [orderId]))[0].n);

  beforeAll(async () => {
    const pg = loadConfig([postgresConfig('postgres')], readEnv()).postgres;
    db = await createTempDatabase(pg);
    producerSide = await service(`it-orders-${run}`, db.database);
    consumerSide = await service(CONSUMER, db.database, { controllers: [OrderPlacedMessageController] });
    dataSource = consumerSide.get(DataSource);
    await dataSource.query(effects);
  });

  afterAll(async () => {
    await consumerSide?.close();
    await producerSide?.close();
    await db?.drop();
  });

  it('delivers an event written through the outbox exactly once, and ignores a redelivered duplicate', async () => {
    const outbox = producerSide.get(PgOutbox);
    const sent = await outbox.transaction((_em, publish) => publish(Topics.OrderPlaced, order('o1'), { key: `o1-${run}` }));

    await waitFor('the consumer effect', async () => (await effectCount(`o1-${run}`)) === 1);
    expect(await producerSide.get(PgOutboxRelay).pending()).toBe(0);

    // the same envelope again, as kafka would redeliver it after a rebalance
    await producerSide.get(EventProducer).sendBatch([{ topic: Topics.OrderPlaced, envelope: sent }]);
    await waitFor('the duplicate to reach the handler', () => calls.filter((id) => id === sent.id).length === 2);
    expect(await effectCount(`o1-${run}`)).toBe(1);
  });

  it('sends a poison message to the dead-letter topic and keeps the partition flowing', async () => {
    const key = `o2-${run}`;
    const producer = producerSide.get(EventProducer);
    await producer.sendRaw(Topics.OrderPlaced, [{ key, value: 'this is not an event' }]);
    await producerSide.get(PgOutbox).transaction((_em, publish) => publish(Topics.OrderPlaced, order('o2'), { key }));

    // same key, so same partition: the valid event behind the poison one still gets through
    await waitFor('the event behind the poison message', async () => (await effectCount(key)) === 1);
    const dead = await findMessage(producerSide.get<Kafka>(KAFKA), deadLetterTopic(Topics.OrderPlaced), (m) => m.key?.toString() === key);
    expect(dead.value?.toString()).toBe('this is not an event');
    expect(dead.headers?.[DLT_HEADERS.reason]?.toString()).toBe('invalid');
    expect(dead.headers?.[DLT_HEADERS.group]?.toString()).toBe(CONSUMER);
    expect(dead.headers?.[DLT_HEADERS.topic]?.toString()).toBe(Topics.OrderPlaced);
  });

  it('dead-letters an event whose handler keeps failing, with the error, after its retries', async () => {
    const key = `o3-${run}`;
    const sent = await producerSide
      .get(PgOutbox)
      .transaction((_em, publish) => publish(Topics.OrderPlaced, order('o3', 'always-fails'), { key }));
    const dead = await findMessage(producerSide.get<Kafka>(KAFKA), deadLetterTopic(Topics.OrderPlaced), (m) => m.key?.toString() === key);
    expect(JSON.parse(dead.value?.toString() ?? '{}').id).toBe(sent.id);
    expect(dead.headers?.[DLT_HEADERS.reason]?.toString()).toBe('failed');
    expect(dead.headers?.[DLT_HEADERS.error]?.toString()).toBe('handler refuses this order');
    expect(dead.headers?.[DLT_HEADERS.attempts]?.toString()).toBe('3');
    expect(calls.filter((id) => id === sent.id)).toHaveLength(3);
  });

  it('keeps unsent events across a restart of the producing service', async () => {
    // the two apps share the test's database, so the consumer side's relay would send the event while
    // the producer is away, and the restarted producer would have nothing left to relay and count
    await consumerSide.get(PgOutboxRelay).stop();
    const relay = producerSide.get(PgOutboxRelay);
    await relay.stop();
    await producerSide.get(PgOutbox).transaction((_em, publish) => publish(Topics.OrderPlaced, order('o4'), { key: `o4-${run}` }));
    expect(await relay.pending()).toBe(1);
    const waiting = await producerSide.get(Metrics).registry.metrics();
    expect(samples(waiting, 'outbox_events', { db_system_name: 'postgresql' })).toEqual([1]);
    expect(samples(waiting, 'outbox_oldest_event_age_seconds', { db_system_name: 'postgresql' })[0]).toBeGreaterThan(0);
    await producerSide.close();

    producerSide = await service(`it-orders-${run}`, db.database);
    await waitFor('the event written before the restart', async () => (await effectCount(`o4-${run}`)) === 1);
    expect(await producerSide.get(PgOutboxRelay).pending()).toBe(0);
    const drained = await producerSide.get(Metrics).registry.metrics();
    expect(samples(drained, 'outbox_events', { db_system_name: 'postgresql' })).toEqual([0]);
    expect(samples(drained, 'outbox_oldest_event_age_seconds', { db_system_name: 'postgresql' })).toEqual([0]);
    expect(samples(drained, 'outbox_relayed_events_total', { db_system_name: 'postgresql' })).toEqual([1]);
  });
});
