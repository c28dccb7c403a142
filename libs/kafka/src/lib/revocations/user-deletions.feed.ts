import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnModuleInit,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HealthIndicatorService } from '@nestjs/terminus';
import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import type { KafkaConfig } from '@ecom/config';
import { parseEnvelope, TopicNames, Topics } from '@ecom/events';
import { HealthRegistry } from '@ecom/health';
import { RevokedUsers } from '@ecom/auth';
import { TopicsReady } from '../client/topics-ready';
import { startWithRetry, whenAbandoned } from '../consumer/consumer-lifecycle';
import { KAFKA } from '../tokens';

/** the name of the readiness check; a service lists it in its readiness gates */
export const REVOCATIONS_CHECK = 'revocations';

/**
 * feeds RevokedUsers from user.deleted, in every instance: each one reads the whole retained
 * topic with a group of its own (so every instance sees every deletion) and commits nothing
 * (so the group leaves no trace). until it has read up to where the topic ended when it started,
 * the `revocations` check is down and the service is not ready: an instance that does not know
 * the recent deletions yet takes no traffic.
 */
@Injectable()
export class UserDeletionsFeed implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger(UserDeletionsFeed.name);
  private consumer?: Consumer;
  private starting?: Promise<void>;
  private stopping = false;
  private caughtUp = false;
  private lastError?: string;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly topics: TopicsReady,
    private readonly names: TopicNames,
    private readonly config: ConfigService,
    private readonly registry: HealthRegistry,
    private readonly health: HealthIndicatorService,
    // a service without AuthModule has no tokens to revoke, and no feed
    @Optional() private readonly revoked?: RevokedUsers,
  ) {}

  onModuleInit(): void {
    const revoked = this.revoked;
    if (!revoked) return;
    this.registry.register(
      async () => {
        const check = this.health.check(REVOCATIONS_CHECK);
        return this.caughtUp
          ? check.up({ revokedUsers: revoked.size })
          : check.down({ message: 'reading user.deleted', ...(this.lastError && { error: this.lastError }) });
      },
      { dependency: false },
    );
  }

  onApplicationBootstrap(): void {
    if (!this.revoked) return;
    this.starting = this.startWithRetry();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.starting;
    await this.consumer?.disconnect();
  }

  private startWithRetry(): Promise<void> {
    return startWithRetry(() => this.start(), {
      stopping: () => this.stopping,
      failed: async (attempt, e) => {
        this.lastError = e.message;
        this.log.warn({ attempt, err: e.message }, 'user.deleted feed could not start, retrying');
        await this.consumer?.disconnect().catch(() => undefined);
      },
    });
  }

  private async start(): Promise<void> {
    const revoked = this.revoked;
    if (!revoked) return;
    await this.topics.ready();
    const topic = this.names.physical(Topics.UserDeleted);
    const ends = await this.endOffsets(topic);
    const { groupId } = this.config.getOrThrow<KafkaConfig>('kafka');
    const consumer = this.kafka.consumer({
      groupId: `${this.names.group(groupId)}.revocations.${randomUUID()}`,
      allowAutoTopicCreation: false,
    });
    this.consumer = consumer;
    // a consumer kafkajs gave up on is replaced, with a new group
    whenAbandoned(
      consumer,
      () => !this.stopping && this.consumer === consumer,
      (e) => {
        this.lastError = e.message;
        this.starting = consumer
          .disconnect()
          .catch(() => undefined)
          .then(() => this.startWithRetry());
      },
    );
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const caughtUp = () => {
      if (this.caughtUp || ends.size > 0) return;
      this.caughtUp = true;
      this.log.log({ revokedUsers: revoked.size }, 'read user.deleted to its end; revocations are current');
    };
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        try {
          const event = parseEnvelope(Topics.UserDeleted, message.value);
          revoked.revoke(event.payload.userId, Date.parse(event.occurredAt));
        } catch (e) {
          // the owning consumer dead-letters a bad event; here it only cannot revoke anything
          this.log.warn({ partition, offset: message.offset, err: (e as Error).message }, 'unreadable user.deleted event skipped');
        }
        const end = ends.get(partition);
        if (end !== undefined && BigInt(message.offset) + 1n >= end) ends.delete(partition);
        caughtUp();
      },
    });
    caughtUp();
  }

  /** partition → the offset the topic ends at now; partitions with nothing to read are left out */
  private async endOffsets(topic: string): Promise<Map<number, bigint>> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(topic);
      return new Map(offsets.filter((o) => BigInt(o.high) > BigInt(o.low)).map((o) => [o.partition, BigInt(o.high)]));
    } finally {
      await admin.disconnect();
    }
  }
}
