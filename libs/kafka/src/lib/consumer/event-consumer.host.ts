import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { Consumer, Kafka } from 'kafkajs';
import type { KafkaConfig } from '@ecom/config';
import { type EventEnvelope, isTopicName, type TopicName, TopicNames } from '@ecom/events';
import { HealthRegistry } from '@ecom/health';
import { runWithCorrelation } from '@ecom/observability';
import { EventProducer } from '../client/event-producer';
import { TopicsReady } from '../client/topics-ready';
import { KAFKA } from '../tokens';
import { startWithRetry, whenAbandoned } from './consumer-lifecycle';
import { ConsumerStalls } from './consumer-stalls';
import { EVENT_HANDLER } from './event-handler.decorator';
import { processMessage } from './process-message';

type Handle = (event: EventEnvelope) => Promise<void>;

/**
 * finds every @EventHandler in the app and feeds it from one consumer group per service.
 * offsets are committed only after processMessage returns, i.e. after the handler succeeded or
 * the message sits in the dead-letter topic. while a store is down, the partition's current
 * message waits (heartbeating, so the group keeps the partition) and the others flow.
 */
@Injectable()
export class EventConsumerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger(EventConsumerHost.name);
  private readonly handlers = new Map<TopicName, Handle>();
  private consumer?: Consumer;
  private stopping = false;
  private inFlight = 0;
  private starting?: Promise<void>;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly producer: EventProducer,
    private readonly topics: TopicsReady,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly config: ConfigService,
    private readonly names: TopicNames,
    private readonly health: HealthRegistry,
    private readonly stalls: ConsumerStalls,
  ) {}

  onApplicationBootstrap(): void {
    this.collectHandlers();
    if (this.handlers.size === 0) return;
    this.stalls.activate();
    // kafka may still be starting; the service comes up and reports not-ready meanwhile
    this.starting = this.startWithRetry();
  }

  /** topics this service consumes, for tests and logs */
  subscribedTopics(): TopicName[] {
    return [...this.handlers.keys()];
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.starting;
    // stop() lets the running handlers finish and commits their offsets
    await this.consumer?.stop();
    await this.consumer?.disconnect();
    if (this.inFlight > 0) this.log.warn({ inFlight: this.inFlight }, 'handlers still running after consumer stop');
  }

  private collectHandlers(): void {
    for (const wrapper of this.discovery.getControllers().concat(this.discovery.getProviders())) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      const proto = Object.getPrototypeOf(instance) as object;
      for (const name of this.scanner.getAllMethodNames(proto)) {
        const method = instance[name] as Handle;
        const topic = this.reflector.get<TopicName | undefined>(EVENT_HANDLER, method);
        if (!topic) continue;
        if (this.handlers.has(topic)) throw new Error(`two @EventHandler methods for ${topic}; a service handles a topic once`);
        this.handlers.set(topic, method.bind(instance));
      }
    }
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
    await crashed.disconnect().catch(() => undefined);
    await this.startWithRetry();
  }

  private async start(): Promise<void> {
    const cfg = this.config.getOrThrow<KafkaConfig>('kafka');
    await this.topics.ready();
    const groupId = this.names.group(cfg.groupId);
    const consumer = this.kafka.consumer({ groupId, allowAutoTopicCreation: false });
    this.consumer = consumer;
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
    await consumer.subscribe({ topics: [...this.handlers.keys()].map((t) => this.names.physical(t)), fromBeginning: true });
    await consumer.run({
      partitionsConsumedConcurrently: 3,
      eachMessage: async ({ topic: physical, partition, message, heartbeat }) => {
        const topic = this.names.logical(physical);
        const handle = topic && isTopicName(topic) ? this.handlers.get(topic) : undefined;
        if (!topic || !isTopicName(topic) || !handle) throw new Error(`no handler for ${physical}`);
        this.inFlight++;
        try {
          await processMessage(
            { topic, partition, message },
            {
              groupId: cfg.groupId,
              maxRetries: cfg.maxRetries,
              backoffMs: cfg.retryBackoffMs,
              handle: (event) => runWithCorrelation(event.correlationId, () => handle(event)),
              sendDeadLetter: (dlt, m) => this.producer.sendRaw(dlt, [m]),
              sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
              stopping: () => this.stopping,
              dependenciesHealthy: () => this.health.dependenciesHealthy(),
              heartbeat,
              stalled: (error) => this.stalls.update(topic, partition, error),
              log: { warn: (o, m) => this.log.warn({ ...o, msg: m }), error: (o, m) => this.log.error({ ...o, msg: m }) },
            },
          );
        } finally {
          this.inFlight--;
        }
      },
    });
    this.stalls.notRunning(null);
    this.log.log({ groupId, topics: [...this.handlers.keys()], topicPrefix: this.names.prefix || undefined }, 'consuming');
  }
}
