import { EventEmitter } from 'node:events';
import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { Consumer, Kafka } from 'kafkajs';
import { TopicNames, Topics } from '@ecom/events';
import { HealthRegistry } from '@ecom/health';
import { Metrics } from '@ecom/observability';
import { KafkaMetrics } from '../metrics/kafka-metrics';
import type { EventProducer } from '../client/event-producer';
import type { TopicsReady } from '../client/topics-ready';
import { ConsumerStalls } from './consumer-stalls';
import { KafkaEventsServer } from './kafka-events.server';

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
  paused = false;
  pauseFails = false;
  pause(): void {
    if (this.pauseFails) throw new Error('Consumer group was not initialized, consumer#run must be called first');
    this.paused = true;
  }
  async commitOffsets(): Promise<void> {
    return undefined;
  }
  async disconnect(): Promise<void> {
    this.connected = false;
    this.running = false;
  }
  crash(restart: boolean): void {
    this.emit(this.events.CRASH, { payload: { error: new Error('Failed to find group coordinator'), groupId: 'g', restart } });
  }
}

function setup({ handler = true } = {}) {
  const consumers: FakeConsumer[] = [];
  const kafka = { consumer: () => consumers[consumers.push(new FakeConsumer()) - 1] } as unknown as Kafka;
  const config = new ConfigService({ kafka: { groupId: 'test-group', maxRetries: 1, retryBackoffMs: 1, commitIntervalMs: 1_000 } });
  const registry = new HealthRegistry();
  const stalls = new ConsumerStalls(registry, new HealthIndicatorService());
  stalls.onModuleInit();
  const host = new KafkaEventsServer(
    kafka,
    {} as EventProducer,
    { ready: async () => undefined } as unknown as TopicsReady,
    config,
    new TopicNames(''),
    registry,
    stalls,
    new KafkaMetrics(new Metrics('test')),
  );
  // what nest does with an @EventHandler(Topics.OrderPlaced) method
  if (handler) host.addHandler(Topics.OrderPlaced, async () => undefined, true);
  const [health] = registry.all();
  return { host, consumers, health };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('KafkaEventsServer', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn']));

  it('starts a new consumer when kafkajs gives up on the old one, and reports it meanwhile', async () => {
    const { host, consumers, health } = setup();
    host.listen(() => undefined);
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
    host.listen(() => undefined);
    await settle();
    await host.beforeApplicationShutdown();
    // nest closes the microservice after the shutdown hooks: nothing left to do
    await host.close();
    consumers[0].crash(false);
    await settle();
    expect(consumers).toHaveLength(1);
  });

  it('pauses and commits before it stops, and still stops when the consumer cannot be paused', async () => {
    const { host, consumers } = setup();
    host.listen(() => undefined);
    await settle();
    await host.beforeApplicationShutdown();
    expect(consumers[0].paused).toBe(true);
    expect(consumers[0].connected).toBe(false);

    const other = setup();
    other.host.listen(() => undefined);
    await settle();
    other.consumers[0].pauseFails = true;
    await other.host.beforeApplicationShutdown();
    expect(other.consumers[0].connected).toBe(false);
  });

  it('refuses a pattern that is not a topic, and starts nothing without handlers', async () => {
    const { host, consumers } = setup();
    host.addHandler('orders.placed', async () => undefined, true);
    expect(() => host.listen(() => undefined)).toThrow('@EventPattern orders.placed is not a topic of @ecom/events (Topics)');
    const idle = setup({ handler: false });
    let listening = false;
    idle.host.listen(() => (listening = true));
    await settle();
    expect(listening).toBe(true);
    expect(idle.consumers).toHaveLength(0);
    expect(consumers).toHaveLength(0);
  });
});
