import { Controller, Module, type INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfigModule, kafkaConfig, loadConfig, readEnv, serviceConfig } from '@ecom/config';
import { createEnvelope, Topics, type EventEnvelope, type EventsMap } from '@ecom/events';
import { HealthModule } from '@ecom/health';
import { waitFor } from '@ecom/testing';
import { EventBatchHandler, EventProducer, KafkaModule } from '../src';
import { consumerApp } from '../testing';

// KAFKA_FETCH_WAIT_MS: the broker holds a fetch to gather more, so events sent one by one, a little apart,
// reach a batch handler together instead of one call each (analytics runs with 100 ms; the saga's
// consumers with 0)

const run = randomUUID().slice(0, 8);
const SENT = 6;
const GAP_MS = 40;
// each call's order ids, of this run's events only (other tests of the run share the topic)
const calls: string[][] = [];

@Controller()
class Recorder {
  @EventBatchHandler(Topics.OrderCancelled)
  async onOrdersCancelled(events: EventEnvelope<EventsMap['order.cancelled']>[]): Promise<void> {
    const mine = events.map((e) => e.payload.orderId).filter((id) => id.endsWith(run));
    if (mine.length > 0) calls.push(mine);
  }
}

@Module({ controllers: [Recorder] })
class Handlers {}

const cancelled = (i: number) =>
  createEnvelope(Topics.OrderCancelled, { orderId: `o${i}-${run}`, userId: 'u-1' }, { key: `o-${run}`, correlationId: `corr-${i}-${run}` });

describe('a consumer with KAFKA_FETCH_WAIT_MS (real kafka)', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const name = `it-fetch-wait-${run}`;
    const values = loadConfig([serviceConfig(name), kafkaConfig(name)], {
      ...readEnv(),
      KAFKA_GROUP_ID: name,
      KAFKA_FETCH_WAIT_MS: '1000',
    });
    app = await consumerApp([AppConfigModule.forRoot(values), HealthModule, KafkaModule, Handlers]);
  });

  afterAll(async () => {
    await app?.close();
  });

  it(`gathers ${SENT} events sent ${GAP_MS} ms apart into at most two calls, each event once`, async () => {
    const producer = app.get(EventProducer);
    for (let i = 0; i < SENT; i++) {
      await producer.sendBatch([{ topic: Topics.OrderCancelled, envelope: cancelled(i) }]);
      await new Promise((r) => setTimeout(r, GAP_MS));
    }
    await waitFor('every event to be handled', () => calls.flat().length >= SENT, { timeoutMs: 60_000 });
    // a fetch already waiting when the first event came may answer with the first ones; the next one
    // is held for the rest, which all came within its wait
    expect(calls.length).toBeLessThanOrEqual(2);
    expect(calls.flat().sort()).toEqual(Array.from({ length: SENT }, (_, i) => `o${i}-${run}`).sort());
  });
});
