import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ConfigService } from '@nestjs/config';
import { randomInt, randomUUID } from 'node:crypto';
import type { Client } from 'cassandra-driver';
import { createServiceApp } from '@ecom/bootstrap';
import type { CassandraConfig, KafkaConfig } from '@ecom/config';
import { createEnvelope, TopicNames, Topics, type EventEnvelope, type EventsMap } from '@ecom/events';
import { createKafka, EventProducer, rebuildReadModel, type ReadModelRebuild } from '@ecom/kafka';
import { CASSANDRA, readGeneration } from '@ecom/store-cassandra';
import { bearerFor, waitFor } from '@ecom/testing';
import { analyticsService } from '../src/app/analytics.service';
import { analyticsRebuild } from '../src/app/rebuild/rebuild-analytics';
import type { RollupsConfig } from '../src/app/rollups/rollups.config';

// npm run rebuild -- analytics, against the running service: the tables rebuilt by replay into a new
// generation hold what the live ones held, reports answer in full all along, and the events recorded
// during the rebuild end up in the new generation. this run's events fall on days of their own
// (somewhere between 1990 and 2010), so its rows can be compared exactly.

type Topic = 'user.registered' | 'order.placed' | 'order.confirmed' | 'order.cancelled';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describe('analytics rebuilt by replay (real kafka, cassandra)', () => {
  let app: NestFastifyApplication;
  let admin: string;
  let cassandra: Client;
  const run = randomUUID().slice(0, 8);
  // days of its own, 2011 to 2020: analytics.int-spec and rollups.int-spec write between 1990 and early 2010
  // into the same keyspace, and a day of theirs among these would add their facts to this run's
  const T = Date.UTC(2011, 0, 1, 22) + randomInt(0, 10 * 365) * DAY;
  const iso = (minutes: number) => new Date(T + minutes * MINUTE).toISOString();
  const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

  const event = <T extends Topic>(topic: T, payload: EventsMap[T], key: string, minutes: number): [Topic, EventEnvelope] => [
    topic,
    { ...createEnvelope(topic, payload, { key }), occurredAt: iso(minutes) },
  ];
  const signup = (n: number, minutes: number) =>
    event(
      Topics.UserRegistered,
      { userId: `u${n}-${run}`, email: `u${n}-${run}@example.com`, name: 'U', role: 'customer' },
      `u${n}-${run}`,
      minutes,
    );
  const placed = (n: number, minutes: number) =>
    event(
      Topics.OrderPlaced,
      { orderId: `o${n}-${run}`, userId: `u-${run}`, lines: [{ productId: `p${n % 3}-${run}`, quantity: 1 }] },
      `o${n}-${run}`,
      minutes,
    );
  const confirmed = (n: number, minutes: number, currency: string) =>
    event(
      Topics.OrderConfirmed,
      {
        orderId: `o${n}-${run}`,
        userId: `u-${run}`,
        lines: [{ productId: `p${n % 3}-${run}`, quantity: n, unitPrice: { amount: 100, currency } }],
        total: { amount: n * 100, currency },
      },
      `o${n}-${run}`,
      minutes,
    );
  const send = (...events: [Topic, EventEnvelope][]) =>
    app.get(EventProducer).sendBatch(events.map(([topic, envelope]) => ({ topic, envelope })));
  const summary = async (from: number, to: number) => {
    const res = await app.inject({
      method: 'GET',
      url: `/api/analytics/summary?from=${iso(from)}&to=${iso(to)}`,
      headers: { authorization: admin },
    });
    return { status: res.statusCode, body: res.body };
  };

  /** every fact row of this run's days in one generation, in a stable order */
  const facts = async (keyspace: string, days: number[]) => {
    const out: Record<string, string[]> = { events: [], series: [], products: [] };
    for (const offset of days) {
      const day = new Date(T + offset * DAY - 22 * 60 * MINUTE).toISOString().slice(0, 10);
      const read = async (cql: string, params: unknown[]) =>
        (await cassandra.execute(cql, params, { prepare: true, fetchSize: 10_000 })).rows.map((r) => JSON.stringify(r));
      for (const type of ['user.registered', 'order.placed', 'order.confirmed', 'order.cancelled'])
        out['events'].push(...(await read(`select * from ${keyspace}.events_by_day where event_type = ? and day = ?`, [type, day])));
      for (const series of ['signups', 'orders.placed', 'orders.confirmed', 'orders.cancelled', 'revenue.EUR', 'revenue.USD'])
        out['series'].push(...(await read(`select * from ${keyspace}.series_facts where series = ? and day = ?`, [series, day])));
      out['products'].push(...(await read(`select * from ${keyspace}.product_sales_by_day where day = ?`, [day])));
    }
    return out;
  };

  beforeAll(async () => {
    app = await createServiceApp(analyticsService);
    admin = await bearerFor('admin');
    cassandra = app.get<Client>(CASSANDRA);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('equals the live tables, answers every report in full while it runs, and keeps what was recorded meanwhile', async () => {
    const cfg = app.get(ConfigService);
    const cassandraCfg = cfg.getOrThrow<CassandraConfig>('cassandra');
    const kafka = cfg.getOrThrow<KafkaConfig>('kafka');
    // the days before the rebuild: two, across midnight; a redelivery (same envelope) counted once
    const first = [signup(1, 1), placed(1, 2), placed(2, 3), confirmed(1, 4, 'EUR'), confirmed(2, 65, 'USD')];
    await send(
      ...first,
      first[3],
      signup(2, 125),
      placed(3, 126),
      event(Topics.OrderCancelled, { orderId: `o2-${run}`, userId: `u-${run}` }, `o2-${run}`, 127),
    );
    const expected = await waitFor(
      'the live tables to hold them',
      async () => {
        const s = await summary(0, 180);
        const body = JSON.parse(s.body);
        // every event in: the events' keys spread them over partitions, so the counts of one kind can be
        // complete while another's (the confirmations, their revenue and products) are still arriving
        const complete =
          body.orders?.placed === 3 &&
          body.orders.confirmed === 2 &&
          body.orders.cancelled === 1 &&
          body.usersRegistered === 2 &&
          body.revenue?.length === 2 &&
          body.topProducts?.length === 2;
        return s.status === 200 && complete && s.body;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    const live = await readGeneration(cassandra, cassandraCfg.keyspace);
    const liveFacts = await facts(live, [0, 1]);
    expect(liveFacts['events']).toHaveLength(8);

    // reports all along: each must answer 200 with the same, complete summary
    const answers: string[] = [];
    let reading = true;
    const reader = (async () => {
      while (reading) {
        const s = await summary(0, 180);
        answers.push(s.status === 200 ? s.body : `${s.status} ${s.body}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();

    // events recorded into the old generation after the replay read to the end, and one more right
    // after the switch, while instances may still write where they did: the last catch-up brings both
    const model = analyticsRebuild(cassandra, cassandraCfg, cfg.getOrThrow<RollupsConfig>('rollups').maxClockSkewMs);
    const during = (minutes: number) => summary(3 * 24 * 60, 3 * 24 * 60 + minutes);
    const changed: ReadModelRebuild = {
      ...model,
      switchOver: async () => {
        await send(placed(10, 3 * 24 * 60 + 1));
        await waitFor('the event in the old generation', async () => JSON.parse((await during(60)).body).orders?.placed === 1);
        const previous = await model.switchOver();
        await send(placed(11, 3 * 24 * 60 + 2));
        return previous;
      },
    };
    const report = await rebuildReadModel(createKafka(kafka), new TopicNames(kafka.topicPrefix), kafka.groupId, changed, {
      keepPrevious: true,
      log: quiet,
    });
    reading = false;
    await reader;

    expect(report).toMatchObject({ previous: live, droppedPrevious: false, skipped: 0 });
    expect(await readGeneration(cassandra, cassandraCfg.keyspace)).toBe(report.copy);
    expect(answers.length).toBeGreaterThan(5);
    expect(answers.filter((a) => a !== expected)).toEqual([]);

    // the new generation holds exactly the facts the live one held, and both events of the rebuild
    expect(await facts(report.copy, [0, 1])).toEqual(liveFacts);
    expect((await facts(report.copy, [3]))['events']).toHaveLength(2);
    expect(JSON.parse((await during(60)).body).orders.placed).toBe(2);
    expect((await summary(0, 180)).body).toBe(expected);
  });

  it('drops the generation readers left, unless asked to keep it', async () => {
    const cfg = app.get(ConfigService);
    const cassandraCfg = cfg.getOrThrow<CassandraConfig>('cassandra');
    const kafka = cfg.getOrThrow<KafkaConfig>('kafka');
    const before = (await summary(0, 180)).body;
    const previous = await readGeneration(cassandra, cassandraCfg.keyspace);
    const model = analyticsRebuild(
      cassandra,
      cassandraCfg,
      cfg.getOrThrow<RollupsConfig>('rollups').maxClockSkewMs,
      new Date(Date.now() + 1_000),
    );
    const report = await rebuildReadModel(createKafka(kafka), new TopicNames(kafka.topicPrefix), kafka.groupId, model, { log: quiet });
    expect(report).toMatchObject({ previous, droppedPrevious: true });
    const keyspaces = (await cassandra.execute('select keyspace_name from system_schema.keyspaces')).rows.map((r) => r['keyspace_name']);
    expect(keyspaces).toContain(report.copy);
    expect(keyspaces).not.toContain(previous);
    await waitFor('reports from the new generation', async () => (await summary(0, 180)).body === before);
  });
});
