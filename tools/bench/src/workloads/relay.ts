import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { kafkaConfig, loadConfig, readEnv } from '@ecom/config';
import { createEnvelope, TopicNames, Topics, type EventEnvelope } from '@ecom/events';
import { OUTBOX_BATCH_SIZE, toMessage } from '@ecom/kafka';
import type { Row } from '../report';
import type { Bench } from '../bench-context';
import { benchPool } from '../postgres';

const EVENTS = 20_000;
const TARGET_RATIO = 0.5;

/** order.placed envelopes as order-service stages them, for orders nobody will consume */
function envelopes(): EventEnvelope[] {
  return Array.from({ length: EVENTS }, (_, i) => {
    const orderId = randomUUID();
    return createEnvelope(
      Topics.OrderPlaced,
      { orderId, userId: `bench-relay-${i % 50}`, lines: [{ productId: randomUUID(), quantity: 1 }] },
      { key: orderId },
    );
  });
}

/** the raw baseline: a bare kafkajs producer, configured as the relay's, sending the same batches one after another */
async function bareProducer(batch: readonly EventEnvelope[]): Promise<number> {
  const cfg = loadConfig([kafkaConfig('bench')], readEnv()).kafka;
  const topic = new TopicNames(cfg.topicPrefix).physical(Topics.OrderPlaced);
  const kafka = new Kafka({ clientId: 'bench-bare-producer', brokers: cfg.brokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 5,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  const send = (events: readonly EventEnvelope[]) =>
    producer.sendBatch({ acks: -1, topicMessages: [{ topic, messages: events.map(toMessage) }] });
  await producer.connect();
  try {
    // the relay's producer is connected and knows the topic's leaders already: so is this one, untimed
    await send(batch.slice(0, 1));
    const t = performance.now();
    for (let i = 0; i < batch.length; i += OUTBOX_BATCH_SIZE) await send(batch.slice(i, i + OUTBOX_BATCH_SIZE));
    return batch.length / ((performance.now() - t) / 1000);
  } finally {
    await producer.disconnect();
  }
}

/**
 * order-service's outbox relay draining a backlog (after kafka was away, say): rows committed at
 * once into its outbox, timed from the first row the relay takes to the last, so its idle poll
 * does not count. against a bare producer sending the same events in batches of the same size.
 * runs with product-service stopped, so the orders are never consumed.
 */
export async function relayDrain(bench: Bench): Promise<Row[]> {
  const { platform } = bench;
  await platform.start(['order-service']);
  const pg = benchPool(1);
  try {
    bench.step(`outbox relay: ${EVENTS} events, a bare producer, then order-service's relay`);
    const baseline = await bareProducer(envelopes());
    const batch = envelopes();
    await pg.query('insert into outbox (id, topic, key, envelope) select * from unnest($1::uuid[], $2::text[], $3::text[], $4::jsonb[])', [
      batch.map((e) => e.id),
      batch.map(() => Topics.OrderPlaced),
      batch.map((e) => e.key),
      batch.map((e) => JSON.stringify(e)),
    ]);
    const pending = async () => Number((await pg.query<{ n: string }>('select count(*) as n from outbox')).rows[0].n);
    // timed from the first time fewer are left: what was left then, drained in how long
    let started = 0;
    let from = 0;
    for (let left = await pending(); left > 0; left = await pending()) {
      if (!started && left < EVENTS) [started, from] = [performance.now(), left];
      await new Promise((r) => setTimeout(r, 5));
    }
    if (!started) throw new Error(`the relay drained ${EVENTS} events before a count saw any go: raise EVENTS`);
    const perSecond = from / ((performance.now() - started) / 1000);
    const ratio = perSecond / baseline;
    return [
      {
        workload: 'outbox relay',
        subject: `order-service draining ${EVENTS} events`,
        value: perSecond,
        unit: 'events/s',
        baseline: { what: `bare producer, batches of ${OUTBOX_BATCH_SIZE}`, value: baseline },
        ratio,
        target: `≥ ${TARGET_RATIO}× baseline`,
        pass: ratio >= TARGET_RATIO,
        details: { events: EVENTS, batch: OUTBOX_BATCH_SIZE },
      },
    ];
  } finally {
    await pg.end();
  }
}
