import { Controller, Inject, Injectable, Module, type INestApplicationContext, type OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Collection, Db, ObjectId } from 'mongodb';
import { randomUUID } from 'node:crypto';
import { AppConfigModule, kafkaConfig, loadConfig, mongodbConfig, readEnv, redisConfig, serviceConfig } from '@ecom/config';
import { InjectCollection, MONGO_DB, MongoModule } from '../src';
import { REDIS, RedisModule, runOnceInRedis } from '@ecom/store-redis';
import { Topics, type EventEnvelope, type EventsMap } from '@ecom/events';
import { HealthModule } from '@ecom/health';
import { Metrics } from '@ecom/observability';
import { samples, waitFor } from '@ecom/testing';
import { EventHandler, EventProducer, KafkaModule } from '@ecom/kafka';
import {
  MongoOutbox,
  MongoOutboxModule,
  MongoOutboxRelay,
  newDocumentOutbox,
  outboxIndex,
  withEvents,
  type OutboxFields,
} from '../src';
import { consumerApp } from '@ecom/kafka/testing';

// the mongodb outbox on the real wire server and kafka, with a redis-idempotent consumer:
// events staged in the document they describe, also while the relay is clearing sent ones.

const run = randomUUID().replace(/-/g, '').slice(0, 8);
const received: string[] = [];
const countKey = (userId: string) => `it:${run}:registrations:${userId}`;

interface Account extends OutboxFields {
  _id: ObjectId;
  userId: string;
  logins: number;
}
const ACCOUNTS = 'accounts';

@Injectable()
class Accounts implements OnModuleInit {
  constructor(
    @InjectCollection(ACCOUNTS) readonly collection: Collection<Account>,
    private readonly relay: MongoOutboxRelay,
  ) {}
  onModuleInit(): void {
    this.relay.watch(this.collection);
  }
}

@Controller()
class UserRegisteredMessageController {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  @EventHandler(Topics.UserRegistered)
  async onUserRegistered(event: EventEnvelope<EventsMap['user.registered']>): Promise<void> {
    if (!event.payload.userId.endsWith(run)) return;
    received.push(event.id);
    // keys inside the commands are not prefixed by ioredis, so they carry the run id themselves
    await runOnceInRedis(this.redis, `processed:${event.id}`, [['INCR', countKey(event.payload.userId)]]);
  }
}

@Module({
  imports: [MongoModule.forFeature([{ name: ACCOUNTS, indexes: [{ key: { userId: 1 }, unique: true }, outboxIndex] }]), MongoOutboxModule],
  controllers: [UserRegisteredMessageController],
  providers: [Accounts],
})
class AccountsModule {}

describe('mongodb outbox → kafka → redis-idempotent consumer (real servers)', () => {
  let app: INestApplicationContext;
  let replica: INestApplicationContext; // a second process of the same service: its own relay
  let accounts: Collection<Account>;
  let outbox: MongoOutbox;
  let redis: Redis;
  let raw: Redis; // without the key prefix, to read what the commands wrote
  const registered = (userId: string) => ({ userId, email: `${userId}@example.com`, name: 'Test', role: 'customer' as const });
  const count = async (userId: string) => Number((await raw.get(countKey(userId))) ?? 0);

  beforeAll(async () => {
    const name = `it-accounts-${run}`;
    const values = loadConfig([serviceConfig(name), kafkaConfig(name), mongodbConfig(`it_outbox_${run}`), redisConfig(name)], readEnv());
    const build = () =>
      consumerApp([AppConfigModule.forRoot(values), HealthModule, MongoModule.forRoot(), RedisModule, KafkaModule, AccountsModule]);
    // one after the other: the local wire server fails a collection created twice at the same moment
    app = await build();
    replica = await build();
    accounts = app.get(Accounts).collection;
    outbox = app.get(MongoOutbox);
    redis = app.get<Redis>(REDIS);
    raw = redis.duplicate({ keyPrefix: '' });
  });

  afterAll(async () => {
    await app?.get<Db>(MONGO_DB).dropDatabase();
    await raw?.quit();
    await replica?.close();
    await app?.close();
  });

  it('sends every staged event once the write commits, including events added while the relay clears', async () => {
    const ids: string[] = [];
    const users = Array.from({ length: 10 }, (_, i) => `u${i}-${run}`);
    for (const userId of users) {
      const entry = outbox.event(Topics.UserRegistered, registered(userId), { key: userId });
      ids.push(entry.id);
      await accounts.insertOne({ userId, logins: 0, ...newDocumentOutbox([entry]) } as Account);
    }
    outbox.flush();
    // more events on the same documents, racing the relay's clearing of the first ones
    await Promise.all(
      users.map(async (userId) => {
        const entry = outbox.event(Topics.UserRegistered, registered(userId), { key: userId });
        ids.push(entry.id);
        await accounts.updateOne({ userId }, withEvents({ $inc: { logins: 1 } }, [entry]));
      }),
    );
    outbox.flush();

    await waitFor('every staged event at the consumer', () => ids.every((id) => received.includes(id)), { timeoutMs: 60_000 });
    await waitFor('the outbox to drain', async () => (await accounts.countDocuments({ outboxPending: true })) === 0);
    const docs = await accounts.find({ userId: { $in: users } }).toArray();
    expect(docs.every((d) => d.outbox.length === 0 && d.logins === 1)).toBe(true);
    for (const userId of users) expect(await count(userId)).toBe(2);
    const texts = await Promise.all([app, replica].map((a) => a.get(Metrics).registry.metrics()));
    expect(samples(texts[0], 'outbox_events', { db_system_name: 'mongodb' })).toEqual([0]);
    // both processes relay; the leases keep them from sending the same events, a lease that ran out aside
    const relayed = texts.map((t) => samples(t, 'outbox_relayed_events_total', { db_system_name: 'mongodb' })[0] ?? 0);
    expect(relayed[0] + relayed[1]).toBeGreaterThanOrEqual(20);
  });

  it('applies a redelivered event once', async () => {
    const userId = `dup-${run}`;
    const entry = outbox.event(Topics.UserRegistered, registered(userId), { key: userId });
    await accounts.insertOne({ userId, logins: 0, ...newDocumentOutbox([entry]) } as Account);
    outbox.flush();
    await waitFor('the first delivery', async () => (await count(userId)) === 1);

    await app.get(EventProducer).sendBatch([{ topic: Topics.UserRegistered, envelope: entry.envelope }]);
    await waitFor('the duplicate at the handler', () => received.filter((id) => id === entry.id).length === 2);
    expect(await count(userId)).toBe(1);
  });

  it('sends each event once with two relays polling the same collection (leases)', async () => {
    // what both relays sent so far, as their brokers acknowledged it
    const relayedByBoth = async () => {
      const texts = await Promise.all([app, replica].map((a) => a.get(Metrics).registry.metrics()));
      return texts.reduce((n, t) => n + (samples(t, 'outbox_relayed_events_total', { db_system_name: 'mongodb' })[0] ?? 0), 0);
    };
    const before = await relayedByBoth();
    const users = Array.from({ length: 40 }, (_, i) => `lease${i}-${run}`);
    const ids: string[] = [];
    for (const userId of users) {
      const entry = outbox.event(Topics.UserRegistered, registered(userId), { key: userId });
      ids.push(entry.id);
      await accounts.insertOne({ userId, logins: 0, ...newDocumentOutbox([entry]) } as Account);
    }
    outbox.flush();
    replica.get(MongoOutbox).flush();
    await waitFor('every event at the consumer', () => ids.every((id) => received.includes(id)), { timeoutMs: 60_000 });
    // a relay clears a document after its broker took the events, so once none is pending or leased
    // every send of these events is over, and counted
    await waitFor(
      'the outbox to drain and the leases to go',
      async () =>
        (await accounts.countDocuments({
          userId: { $in: users },
          $or: [{ outboxPending: true }, { outboxLeaseBy: { $exists: true } }],
        })) === 0,
    );
    expect((await relayedByBoth()) - before).toBe(ids.length);
    expect(ids.filter((id) => received.filter((r) => r === id).length !== 1)).toEqual([]);
  });
});
