import { EventEmitter } from 'node:events';
import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { Consumer, Kafka } from 'kafkajs';
import { type EventEnvelope, TopicNames, Topics } from '@ecom/events';
import { HealthRegistry } from '@ecom/health';
import type { EventProducer } from '../client/event-producer';
import type { TopicsReady } from '../client/topics-ready';
import { ConsumerStalls } from './consumer-stalls';
import { EventConsumerHost } from './event-consumer.host';
import { EventHandler } from './event-handler.decorator';

class Handlers {
  @EventHandler(Topics.OrderPlaced)
  async onPlaced(_event: EventEnvelope<unknown>): Promise<void> {
    return undefined;
  }
}

/** the part of a kafkajs consumer the host touches; CRASH is emitted by the test */
class FakeConsumer extends EventEmitter {
  readonly events = { CRASH: 'consumer.crash' } as Consumer['events'];
  connected = false;
  running = false;
  async connect(): Promise<void> {
    this.connected = true;
  }
  async subscribe(): Promise<void> {
    return undefined;
  }
  async run(): Promise<void> {
    this.running = true;
  }
  async stop(): Promise<void> {
    this.running = false;
  }
  async disconnect(): Promise<void> {
    this.connected = false;
    this.running = false;
  }
  crash(restart: boolean): void {
    this.emit(this.events.CRASH, { payload: { error: new Error('Failed to find group coordinator'), groupId: 'g', restart } });
  }
}

function setup() {
  const consumers: FakeConsumer[] = [];
  const kafka = { consumer: () => consumers[consumers.push(new FakeConsumer()) - 1] } as unknown as Kafka;
  const discovery = { getControllers: () => [{ instance: new Handlers() }], getProviders: () => [] } as unknown as DiscoveryService;
  const config = new ConfigService({ kafka: { groupId: 'test-group', maxRetries: 1, retryBackoffMs: 1 } });
  const registry = new HealthRegistry();
  const stalls = new ConsumerStalls(registry, new HealthIndicatorService());
  stalls.onModuleInit();
  const host = new EventConsumerHost(
    kafka,
    {} as EventProducer,
    { ready: async () => undefined } as unknown as TopicsReady,
    discovery,
    new MetadataScanner(),
    new Reflector(),
    config,
    new TopicNames(''),
    registry,
    stalls,
  );
  const [health] = registry.all();
  return { host, consumers, health };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('EventConsumerHost', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn']));

  it('starts a new consumer when kafkajs gives up on the old one, and reports it meanwhile', async () => {
    const { host, consumers, health } = setup();
    host.onApplicationBootstrap();
    await settle();
    expect(consumers).toHaveLength(1);
    expect(consumers[0].running).toBe(true);

    // a crash kafkajs recovers from by itself is left to it
    consumers[0].crash(true);
    await settle();
    expect(consumers).toHaveLength(1);

    consumers[0].crash(false);
    await expect(health()).resolves.toMatchObject({
      consumer: { status: 'down', running: false, error: 'Failed to find group coordinator' },
    });
    await settle();
    expect(consumers).toHaveLength(2);
    expect(consumers[0].connected).toBe(false);
    expect(consumers[1].running).toBe(true);
    await expect(health()).resolves.toEqual({ consumer: { status: 'up', stalled: [] } });

    await host.beforeApplicationShutdown();
    expect(consumers[1].connected).toBe(false);
  });

  it('does not restart a consumer that crashes while the service shuts down', async () => {
    const { host, consumers } = setup();
    host.onApplicationBootstrap();
    await settle();
    await host.beforeApplicationShutdown();
    consumers[0].crash(false);
    await settle();
    expect(consumers).toHaveLength(1);
  });
});
