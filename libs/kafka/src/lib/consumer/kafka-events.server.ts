import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type INestApplication, type INestMicroservice } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Server, type CustomTransportStrategy, type MessageHandler, type MicroserviceOptions } from '@nestjs/microservices';
import type { Consumer, ConsumerConfig, Kafka } from 'kafkajs';
import type { KafkaConfig } from '@ecom/config';
import { isTopicName, type TopicName, TopicNames } from '@ecom/events';
import { HealthRegistry } from '@ecom/health';
import { EventProducer } from '../client/event-producer';
import { TopicsReady } from '../client/topics-ready';
import { KafkaMetrics } from '../metrics/kafka-metrics';
import { KAFKA } from '../tokens';
import { startWithRetry, whenAbandoned } from './consumer-lifecycle';
import { ConsumerStalls } from './consumer-stalls';
import { MessageCorrelationInterceptor, MessageErrorFilter } from './message-pipeline';
import { OffsetCommitter } from './offset-committer';
import { PartitionConsumer } from './partition-consumer';
import type { ProcessDeps } from './process-message';

/** up to a MB the broker may wait up to waitMs to gather; with 0, kafkajs' own: the first message there is */
export function fetchOptions(waitMs: number): Pick<ConsumerConfig, 'minBytes' | 'maxWaitTimeInMs'> {
  return waitMs > 0 ? { minBytes: 1_048_576, maxWaitTimeInMs: waitMs } : {};
}

/**
 * the service's kafka consumer as a transport strategy of @nestjs/microservices: nest registers
 * every @EventHandler and @EventBatchHandler (an @EventPattern) with it and wraps each in its pipeline,
 * so guards, interceptors, pipes and exception filters run for messages as they do for requests. one
 * consumer group per service. each partition's fetched messages go through PartitionConsumer: one at a
 * time to an @EventHandler (processMessage), or together to an @EventBatchHandler (processBatch, ADR 17).
 * an offset is committed only after its message was handled or sits in the dead-letter topic: every
 * KAFKA_COMMIT_INTERVAL_MS (OffsetCommitter), and once more on shutdown. while a store is down, the
 * partition's current message or batch waits (heartbeating, so the group keeps the partition) and the
 * others flow. started with startEventConsumers(app).
 */
@Injectable()
export class KafkaEventsServer extends Server implements CustomTransportStrategy, BeforeApplicationShutdown {
  private readonly log = new Logger(KafkaEventsServer.name);
  private consumer?: Consumer;
  private committer?: OffsetCommitter;
  private stopping = false;
  private inFlight = 0;
  private starting?: Promise<void>;
  // resolved once: nest's getHandlerByPattern tries JSON.parse on the pattern first, and a topic
  // name is not JSON, so every lookup threw and caught a SyntaxError (3 % of analytics' cpu per event)
  private readonly handlers = new Map<TopicName, MessageHandler>();

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly producer: EventProducer,
    private readonly topicsReady: TopicsReady,
    private readonly config: ConfigService,
    private readonly names: TopicNames,
    private readonly health: HealthRegistry,
    private readonly stalls: ConsumerStalls,
    private readonly metrics: KafkaMetrics,
  ) {
    super();
  }

  /** topics this service consumes: the patterns of its @EventHandler methods */
  subscribedTopics(): TopicName[] {
    const patterns = [...this.getHandlers().keys()];
    const unknown = patterns.filter((p) => !isTopicName(p));
    if (unknown.length) throw new Error(`@EventPattern ${unknown.join(', ')} is not a topic of @ecom/events (Topics)`);
    return patterns as TopicName[];
  }

  /** called by nest once the handlers are registered; kafka may still be starting, so this does not wait for it */
  listen(callback: () => void): void {
    if (this.subscribedTopics().length > 0) {
      this.stalls.activate();
      // the service comes up and reports not-ready until the consumer runs
      this.starting = this.startWithRetry();
    }
    callback();
  }

  /** before the stores close (nest closes microservices after the shutdown hooks) */
  async beforeApplicationShutdown(): Promise<void> {
    await this.close();
  }

  /** lets the running handlers finish and commits their offsets; once */
  async close(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    await this.starting;
    await this.drain();
    await this.consumer?.stop();
    await this.consumer?.disconnect();
    if (this.inFlight > 0) this.log.warn({ inFlight: this.inFlight }, 'handlers still running after consumer stop');
  }

  /**
   * pauses every partition, waits for the running handlers, and commits: kafkajs commits nothing once
   * stop() began, and stop() leaves the group, so the last commit must come first
   */
  private async drain(): Promise<void> {
    const consumer = this.consumer;
    if (!consumer || !this.committer) return;
    try {
      consumer.pause(this.subscribedTopics().map((t) => ({ topic: this.names.physical(t) })));
    } catch (e) {
      // a consumer kafkajs is restarting has no group to pause: nothing of it is running either
      this.log.warn({ err: (e as Error).message }, 'could not pause the consumer before its last commit');
    }
    while (this.inFlight > 0) await new Promise((r) => setTimeout(r, 10));
    await this.committer.stop();
  }

  on(): never {
    throw new Error('KafkaEventsServer reports its state through the health checks, not events');
  }

  unwrap<T>(): T {
    if (!this.consumer) throw new Error('the kafka consumer has not started');
    return this.consumer as T;
  }

  /** how a message of this partition retries, waits out an outage and is dead-lettered (processMessage) */
  private processDeps(cfg: KafkaConfig, topic: TopicName, partition: number, heartbeat: () => Promise<void>): Omit<ProcessDeps, 'handle'> {
    const labels = { messaging_destination_name: topic, messaging_consumer_group_name: cfg.groupId };
    return {
      groupId: cfg.groupId,
      maxRetries: cfg.maxRetries,
      backoffMs: cfg.retryBackoffMs,
      sendDeadLetter: (dlt, m) => this.producer.sendRaw(dlt, [m]),
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      stopping: () => this.stopping,
      dependenciesHealthy: () => this.health.dependenciesHealthy(),
      heartbeat,
      stalled: (error) => this.stalls.update(topic, partition, error),
      failedAttempt: (kind) => this.metrics.consumed.inc({ ...labels, outcome: kind }),
      log: { warn: (o, m) => this.log.warn({ ...o, msg: m }), error: (o, m) => this.log.error({ ...o, msg: m }) },
    };
  }

  private startWithRetry(): Promise<void> {
    return startWithRetry(() => this.start(), {
      stopping: () => this.stopping,
      failed: async (attempt, e) => {
        this.log.warn({ attempt, err: e.message }, 'kafka consumer could not start, retrying');
        await this.consumer?.disconnect().catch(() => undefined);
      },
    });
  }

  private async restart(crashed: Consumer): Promise<void> {
    this.committer?.abandon();
    await crashed.disconnect().catch(() => undefined);
    await this.startWithRetry();
  }

  private async start(): Promise<void> {
    const cfg = this.config.getOrThrow<KafkaConfig>('kafka');
    const topics = this.subscribedTopics();
    for (const t of topics) {
      const handler = this.getHandlerByPattern(t);
      if (handler) this.handlers.set(t, handler);
    }
    await this.topicsReady.ready();
    const groupId = this.names.group(cfg.groupId);
    const consumer = this.kafka.consumer({ groupId, allowAutoTopicCreation: false, ...fetchOptions(cfg.fetchWaitMs) });
    this.consumer = consumer;
    const committer = new OffsetCommitter(consumer, cfg.commitIntervalMs, { warn: (o, m) => this.log.warn({ ...o, msg: m }) });
    this.committer = committer;
    // a consumer kafkajs gave up on is replaced by a fresh one, started with the same retries as at boot
    whenAbandoned(
      consumer,
      () => !this.stopping && this.consumer === consumer,
      (e) => {
        this.log.error({ err: e.message, groupId }, 'kafka consumer crashed for good; starting a new one');
        this.stalls.notRunning(e.message);
        this.starting = this.restart(consumer);
      },
    );
    await consumer.connect();
    await consumer.subscribe({ topics: topics.map((t) => this.names.physical(t)), fromBeginning: true });
    const consume = new PartitionConsumer(cfg.groupId, {
      handler: (topic) => this.handlers.get(topic),
      committer,
      stopping: () => this.stopping,
      inFlight: (delta) => (this.inFlight += delta),
      process: (topic, partition, heartbeat) => this.processDeps(cfg, topic, partition, heartbeat),
      metrics: this.metrics,
    });
    await consumer.run({
      // committed by the OffsetCommitter: kafkajs would commit after every batch, a message at a time at a light load
      autoCommit: false,
      // what was handled is resolved one by one; a batch left early (shutdown, a rebalance) is fetched again
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 3,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        const topic = this.names.logical(batch.topic);
        if (!topic || !isTopicName(topic) || !this.handlers.has(topic)) throw new Error(`no handler for ${batch.topic}`);
        await consume.batch(
          { topic, physical: batch.topic, partition: batch.partition, messages: batch.messages },
          {
            resolveOffset,
            heartbeat,
            current: () => isRunning() && !isStale(),
          },
        );
      },
    });
    committer.start();
    this.stalls.notRunning(null);
    this.log.log({ groupId, topics, topicPrefix: this.names.prefix || undefined }, 'consuming');
  }
}

/**
 * serves the app's @EventHandler methods with its KafkaEventsServer (KafkaModule), as a hybrid
 * app's microservice, with the correlation interceptor and the error filter every message needs.
 * an app without KafkaModule has no handlers to serve: nothing happens.
 */
export async function startEventConsumers(app: INestApplication): Promise<void> {
  let strategy: KafkaEventsServer;
  try {
    strategy = app.get(KafkaEventsServer, { strict: false });
  } catch {
    return;
  }
  // the handlers are registered when the microservice starts, after its global enhancers are set.
  // the app's own (the http problem filter, the validation pipe) are not inherited. the app ran its
  // lifecycle hooks already, so the microservice must not run them again on the shared container
  const messages = app.connectMicroservice<MicroserviceOptions>({ strategy }, { inheritAppConfig: false, deferInitialization: true });
  messages.useGlobalInterceptors(new MessageCorrelationInterceptor());
  messages.useGlobalFilters(new MessageErrorFilter());
  (messages as INestMicroservice & { setIsInitHookCalled(called: boolean): void }).setIsInitHookCalled(true);
  await app.startAllMicroservices();
}
