import { Controller, Module, type INestApplicationContext } from '@nestjs/common';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Kafka } from 'kafkajs';
import { AppConfigModule, kafkaConfig, loadConfig, readEnv, serviceConfig } from '@ecom/config';
import { createEnvelope, deadLetterTopic, Topics, TopicNames, type EventEnvelope, type EventsMap } from '@ecom/events';
import { HealthModule } from '@ecom/health';
import { findMessage, waitFor } from '@ecom/testing';
import {
  countDeadLetters,
  EventHandler,
  EventProducer,
  HEADER_EVENT_ID,
  KAFKA,
  KafkaModule,
  listDeadLetters,
  REPLAY_HEADERS,
  replayDeadLetters,
} from '../src';
import { consumerApp } from '../testing';

// an event whose handler fails lands in the dead-letter topic; once the handler is fixed, a replay
// applies it exactly once, however often it is replayed, because the consumer de-duplicates on the
// envelope id (ADR 5).

const run = randomUUID().slice(0, 8);
const handler = { fixed: false };
const deliveries: string[] = [];
const applied = new Set<string>();
const applications = new Map<string, number>();

@Controller()
class OrderPlacedMessageController {
  @EventHandler(Topics.OrderPlaced)
  async onOrderPlaced(event: EventEnvelope<EventsMap['order.placed']>): Promise<void> {
    if (!event.payload.orderId.endsWith(run)) return; // other tests of the run share the topic
    deliveries.push(event.id);
    if (event.payload.userId === 'needs-a-fix' && !handler.fixed) throw new Error('pricing rule missing for this order');
    if (applied.has(event.id)) return;
    applied.add(event.id);
    applications.set(event.payload.orderId, (applications.get(event.payload.orderId) ?? 0) + 1);
  }
}

@Module({ controllers: [OrderPlacedMessageController] })
class Handlers {}

function placed(orderId: string, userId: string, key: string) {
  return createEnvelope(Topics.OrderPlaced, { orderId, userId, lines: [{ productId: 'p-1', quantity: 1 }] }, { key });
}

const dlqCli = promisify(execFile);

describe('dead letters: list and replay (real kafka)', () => {
  let app: INestApplicationContext;
  let kafka: Kafka;
  let names: TopicNames;
  const key = `o-${run}`;
  const failing = placed(`o-${run}`, 'needs-a-fix', key);
  const send = (envelope: EventEnvelope) => app.get(EventProducer).sendBatch([{ topic: Topics.OrderPlaced, envelope }]);
  /** a later event with the same key is handled after everything sent before it on that partition */
  const afterMarker = async () => {
    const marker = placed(`marker-${randomUUID().slice(0, 4)}-${run}`, 'u-1', key);
    await send(marker);
    await waitFor('the marker behind it', () => applied.has(marker.id), { timeoutMs: 60_000 });
  };

  beforeAll(async () => {
    const name = `it-dlq-${run}`;
    const values = loadConfig([serviceConfig(name), kafkaConfig(name)], {
      ...readEnv(),
      KAFKA_GROUP_ID: name,
      KAFKA_MAX_RETRIES: '1',
      KAFKA_RETRY_BACKOFF_MS: '20',
    });
    app = await consumerApp([AppConfigModule.forRoot(values), HealthModule, KafkaModule, Handlers]);
    kafka = app.get<Kafka>(KAFKA);
    names = app.get(TopicNames);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('lists a dead-lettered event with the reason, the error and where it came from', async () => {
    await send(failing);
    await findMessage(kafka, deadLetterTopic(Topics.OrderPlaced), (m) => m.headers?.[HEADER_EVENT_ID]?.toString() === failing.id, 60_000);

    const counts = await countDeadLetters(kafka, names);
    expect(counts.find((c) => c.topic === Topics.OrderPlaced)).toMatchObject({ dlt: 'order.placed.dlt', exists: true });
    expect(counts.find((c) => c.topic === Topics.OrderPlaced)?.count).toBeGreaterThanOrEqual(1);

    const listing = await listDeadLetters(kafka, names, 'order.placed', { limit: 50 });
    expect(listing.entries.find((e) => e.eventId === failing.id)).toMatchObject({
      key,
      originalTopic: Topics.OrderPlaced,
      reason: 'failed',
      error: 'pricing rule missing for this order',
      attempts: 2,
      group: `it-dlq-${run}`,
    });
    expect(applications.get(failing.payload.orderId)).toBeUndefined();
  });

  it('shows the same through the cli, with the run’s topic prefix from the environment', async () => {
    const root = resolve(__dirname, '../../..');
    const { stdout } = await dlqCli('npm', ['run', '-s', 'dlq', '--', 'list', 'order.placed.dlt', '--limit', '50'], { cwd: root });
    expect(stdout).toMatch(new RegExp(`${failing.id}\\s+${key}\\s+order\\.placed/\\d+/\\d+\\s+failed\\s+2\\s+pricing rule missing`));
  });

  it('selects without sending on a dry run, and by failure time', async () => {
    const dry = await replayDeadLetters(kafka, names, 'order.placed.dlt', { ids: [failing.id], dryRun: true });
    expect(dry.selected.map((s) => s.entry.eventId)).toEqual([failing.id]);
    expect(dry.replayed).toBe(0);
    const later = await replayDeadLetters(kafka, names, 'order.placed', { since: new Date(Date.now() + 60_000), dryRun: true });
    expect(later.selected).toHaveLength(0);
  });

  it('applies a replayed event once the handler is fixed, and a second replay changes nothing', async () => {
    handler.fixed = true;
    const first = await replayDeadLetters(kafka, names, 'order.placed', { ids: [failing.id] });
    expect(first.replayed).toBe(1);
    expect(first.missingIds).toEqual([]);
    const headers = first.selected[0].message.headers ?? {};
    expect(String(headers[REPLAY_HEADERS.replayOf])).toMatch(/^order\.placed\.dlt\/0\/\d+$/);
    expect(Object.keys(headers).filter((h) => h.startsWith('dlt-') && !Object.values<string>(REPLAY_HEADERS).includes(h))).toEqual([]);
    await waitFor('the replayed event to take effect', () => applications.get(failing.payload.orderId) === 1, { timeoutMs: 60_000 });

    const second = await replayDeadLetters(kafka, names, 'order.placed', { ids: [failing.id] });
    expect(second.replayed).toBe(1);
    await afterMarker();
    // two failed attempts, then one delivery per replay; the dry run sent nothing
    expect(deliveries.filter((id) => id === failing.id)).toHaveLength(4);
    expect(applications.get(failing.payload.orderId)).toBe(1);
  });
});
