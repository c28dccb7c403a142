import type { Consumer, Kafka } from 'kafkajs';
import { EventValidationError, parseEnvelope, type EventEnvelope, type TopicName, type TopicNames } from '@ecom/events';
import { isTransient } from '@ecom/resilience';
import { backoff } from '../consumer/process-message';
import { whenAbandoned } from '../consumer/consumer-lifecycle';

export interface TopicReplayOptions {
  readonly kafka: Kafka;
  readonly names: TopicNames;
  readonly topics: readonly TopicName[];
  /** a group of the replay's own: it reads every retained event and commits nothing */
  readonly groupId: string;
  readonly handle: (topic: TopicName, event: EventEnvelope) => Promise<void>;
  readonly log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /** attempts at an event that fails while its store answers, before it is skipped (default 5) */
  readonly maxAttempts?: number;
  readonly backoffMs?: number;
}

export interface ReplayCounts {
  /** events handled */
  readonly handled: number;
  /** unreadable events, and events that kept failing while their store answered: the live consumer dead-lettered them too */
  readonly skipped: number;
}

const POLL_MS = 100;

/**
 * reads topics from their first retained event through a handler, for rebuilding a read model.
 * a store that is down is waited for (transient errors are retried for as long as it takes, per
 * partition, in order); an event that can never be handled is logged and skipped, not dead-lettered:
 * the live consumer already dead-lettered it once. `caughtUp()` resolves once every event the topics
 * held at that moment is handled, and can be called again to read what came since.
 */
export class TopicReplay {
  private readonly positions = new Map<string, bigint>();
  private readonly counts = { handled: 0, skipped: 0 };
  private failure?: Error;
  private stopping = false;

  private constructor(
    private readonly opts: TopicReplayOptions,
    private readonly consumer: Consumer,
  ) {}

  static async start(opts: TopicReplayOptions): Promise<TopicReplay> {
    const consumer = opts.kafka.consumer({ groupId: opts.groupId, allowAutoTopicCreation: false });
    const replay = new TopicReplay(opts, consumer);
    await replay.run();
    return replay;
  }

  /** handled and skipped events so far */
  progress(): ReplayCounts {
    return { ...this.counts };
  }

  /** resolves once every event the topics hold now has been handled (or skipped) */
  async caughtUp(): Promise<ReplayCounts> {
    const targets = await this.endOffsets();
    while (!this.failure && [...targets].some(([key, end]) => (this.positions.get(key) ?? 0n) < end)) {
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    if (this.failure) throw this.failure;
    return this.progress();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer.disconnect();
  }

  private async run(): Promise<void> {
    const { names, topics } = this.opts;
    const consumer = this.consumer;
    whenAbandoned(
      consumer,
      () => !this.stopping,
      (e) => (this.failure = e),
    );
    // a compacted topic has gaps in its offsets: the end of each batch says how far the partition was read
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => this.reached(payload.topic, payload.partition, payload.lastOffset));
    await consumer.connect();
    await consumer.subscribe({ topics: topics.map((t) => names.physical(t)), fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: 3,
      eachMessage: async ({ topic: physical, partition, message, heartbeat }) => {
        const topic = names.logical(physical) as TopicName;
        await this.one(topic, partition, message.offset, message.value, heartbeat);
        this.reached(physical, partition, message.offset);
      },
    });
  }

  private async one(topic: TopicName, partition: number, offset: string, value: Buffer | null, heartbeat: () => Promise<void>) {
    const where = { topic, partition, offset };
    let event: EventEnvelope;
    try {
      event = parseEnvelope(topic, value);
    } catch (e) {
      if (!(e instanceof EventValidationError)) throw e;
      this.opts.log.error({ ...where, err: e.message }, 'unreadable event skipped');
      this.counts.skipped++;
      return;
    }
    const maxAttempts = this.opts.maxAttempts ?? 5;
    for (let attempt = 1, failures = 0; !this.stopping; attempt++) {
      try {
        await this.opts.handle(topic, event);
        this.counts.handled++;
        return;
      } catch (e) {
        const err = (e as Error).message;
        if (!isTransient(e) && ++failures >= maxAttempts) {
          this.opts.log.error({ ...where, eventId: event.id, err }, 'event skipped: it keeps failing while its store answers');
          this.counts.skipped++;
          return;
        }
        if (attempt === 1 || attempt % 10 === 0) this.opts.log.warn({ ...where, attempt, err }, 'replay waits for its store');
        await new Promise((r) => setTimeout(r, backoff(this.opts.backoffMs ?? 200, attempt)));
        await heartbeat();
      }
    }
  }

  private reached(physical: string, partition: number, offset: string): void {
    const key = `${physical}:${partition}`;
    const next = BigInt(offset) + 1n;
    if ((this.positions.get(key) ?? 0n) < next) this.positions.set(key, next);
  }

  /** topic:partition → where it ends now; empty partitions are left out */
  private async endOffsets(): Promise<Map<string, bigint>> {
    const admin = this.opts.kafka.admin();
    await admin.connect();
    try {
      const ends = new Map<string, bigint>();
      for (const topic of this.opts.topics) {
        const physical = this.opts.names.physical(topic);
        for (const o of await admin.fetchTopicOffsets(physical)) {
          if (BigInt(o.high) > BigInt(o.low)) ends.set(`${physical}:${o.partition}`, BigInt(o.high));
        }
      }
      return ends;
    } finally {
      await admin.disconnect();
    }
  }
}
