import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Kafka, Message } from 'kafkajs';
import { kafkaConfig, loadConfig, readEnv } from '@ecom/config';
import { allTopicSpecs, deadLetterTopic, Topics, TopicNames } from '@ecom/events';
import {
  applyPurge,
  createKafka,
  DLT_HEADERS,
  ensureTopics,
  EventProducer,
  HEADER_EVENT_ID,
  listDeadLetters,
  planPurge,
  purgeDeadLetters,
  type PartitionOffsets,
} from '../src';

// a purge deletes a dead-letter topic's records up to the high watermark it read at its start, so
// the retained count (messaging_kafka_dead_letter_messages: high minus low watermark) drops to what
// arrived since, and a dead letter that arrives during the purge is kept.

const run = randomUUID().slice(0, 8);
const DLT = deadLetterTopic(Topics.OrderPlaced);
const dlqCli = promisify(execFile);
const root = resolve(__dirname, '../../..');

describe('dead letters: purge (real kafka)', () => {
  // a prefix of its own inside the run's (which teardown removes): no other test's dead letters are purged
  const prefix = `${process.env['KAFKA_TOPIC_PREFIX'] ?? ''}purge-${run}.`;
  const cfg = loadConfig([kafkaConfig(`it-purge-${run}`)], { ...readEnv(), KAFKA_TOPIC_PREFIX: prefix }).kafka;
  const names = new TopicNames(prefix);
  let kafka: Kafka;
  let producer: EventProducer;

  const deadLetter = (eventId: string): Message => ({
    key: `o-${run}`,
    value: JSON.stringify({ id: eventId }),
    headers: {
      [HEADER_EVENT_ID]: eventId,
      [DLT_HEADERS.topic]: Topics.OrderPlaced,
      [DLT_HEADERS.partition]: '0',
      [DLT_HEADERS.offset]: '0',
      [DLT_HEADERS.reason]: 'failed',
      [DLT_HEADERS.error]: 'pricing rule missing for this order',
      [DLT_HEADERS.failedAt]: new Date().toISOString(),
    },
  });
  const offsets = async (): Promise<PartitionOffsets[]> => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const o = await admin.fetchTopicOffsets(names.physical(DLT));
      return o.map((p) => ({ partition: p.partition, low: BigInt(p.low), high: BigInt(p.high) }));
    } finally {
      await admin.disconnect();
    }
  };
  const cli = (...args: string[]) =>
    dlqCli('npm', ['run', '-s', 'dlq', '--', ...args], { cwd: root, env: { ...process.env, KAFKA_TOPIC_PREFIX: prefix } });

  beforeAll(async () => {
    kafka = createKafka(cfg);
    const admin = kafka.admin();
    await admin.connect();
    try {
      await ensureTopics(admin, names.specs(allTopicSpecs().filter((s) => s.name === DLT)));
    } finally {
      await admin.disconnect();
    }
    producer = new EventProducer(kafka, names);
  });

  afterAll(async () => {
    await producer?.disconnect();
  });

  it('on a dry run, counts what it would delete and deletes nothing', async () => {
    await producer.sendRaw(DLT, [deadLetter(`a-${run}`), deadLetter(`b-${run}`), deadLetter(`c-${run}`)]);
    const before = await offsets();

    const dry = await purgeDeadLetters(kafka, names, Topics.OrderPlaced, { dryRun: true });
    expect(dry).toMatchObject({ topic: Topics.OrderPlaced, dlt: DLT, count: 3, purged: 0 });
    expect(dry.partitions).toEqual(before);
    expect(await offsets()).toEqual(before);
  });

  it('deletes up to the high watermark it read first, and keeps a dead letter that arrived after that read', async () => {
    const plan = await planPurge(kafka, names, DLT);
    expect(plan.count).toBe(3);
    const late = `late-${run}`;
    await producer.sendRaw(DLT, [deadLetter(late)]);

    const done = await applyPurge(kafka, names, plan);
    expect(done).toEqual({ purged: 3, left: 1 });
    const after = await offsets();
    expect(after.map((p) => [p.partition, p.low])).toEqual(plan.partitions.map((p) => [p.partition, p.high]));
    const listing = await listDeadLetters(kafka, names, DLT, { limit: 10 });
    expect(listing.count).toBe(1);
    expect(listing.entries.map((e) => e.eventId)).toEqual([late]);
  });

  it('through the cli: prints what it would delete and how to confirm, then deletes with --yes', async () => {
    const dry = await cli('purge', DLT);
    expect(dry.stdout).toContain(`(topic prefix "${prefix}")`);
    expect(dry.stdout).toMatch(/order\.placed\.dlt: 1 dead letter to delete\npartition\s+entries\s+offsets\n0\s+1\s+3-3\n/);
    expect(dry.stdout).toContain('to delete them: npm run dlq -- purge order.placed --yes');
    const untouched = await offsets();
    expect(untouched.reduce((n, p) => n + Number(p.high - p.low), 0)).toBe(1);

    const purged = await cli('purge', 'order.placed', '--yes');
    expect(purged.stdout).toContain('order.placed.dlt: deleted 1 dead letter\n');
    expect(purged.stdout).toContain('order.placed.dlt holds no dead letters now');
    const after = await offsets();
    expect(after.map((p) => p.low)).toEqual(untouched.map((p) => p.high));

    const again = await cli('purge', 'order.placed', '--yes');
    expect(again.stdout).toContain('order.placed.dlt: no dead letters, nothing to delete');
  });

  it('through the cli: exits 1 when the dead-letter topic does not exist, and 2 on bad usage', async () => {
    await expect(cli('purge', 'stock.released', '--yes')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/topic .*stock\.released\.dlt does not exist on this cluster/),
    });
    await expect(cli('purge', 'order.placd')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/unknown topic "order\.placd"/),
    });
  });
});
