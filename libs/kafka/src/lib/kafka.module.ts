import { Global, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Kafka } from 'kafkajs';
import type { KafkaConfig } from '@ecom/config';
import { createKafka } from './client/create-kafka';
import { EventProducer } from './client/event-producer';
import { KafkaHealth } from './client/kafka-health';
import { KafkaHealthIndicator } from './client/kafka-health.indicator';
import { KafkaMetrics } from './metrics/kafka-metrics';
import { ConsumerOffsetsMetrics } from './metrics/consumer-offsets.metrics';
import { TopicNames } from '@ecom/events';
import { TopicsReady } from './client/topics-ready';
import { ConsumerStalls } from './consumer/consumer-stalls';
import { KafkaEventsServer } from './consumer/kafka-events.server';
import { UserDeletionsFeed } from './revocations/user-deletions.feed';
import { KAFKA, KAFKA_HEALTH_ADMIN } from './tokens';

const kafkaConfig = (c: ConfigService) => c.getOrThrow<KafkaConfig>('kafka');

class ProducerLifecycle implements OnApplicationShutdown {
  constructor(private readonly producer: EventProducer) {}
  // after relays and consumers stopped (they use the producer until then)
  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect();
  }
}

/**
 * the kafka client, topic creation, the producer, the transport that serves @EventHandler methods
 * (KafkaEventsServer; startEventConsumers starts it), kafka readiness, the messaging metrics, and
 * the feed that revokes deleted users' tokens (when the service has AuthModule)
 */
@Global()
@Module({
  providers: [
    KafkaHealthIndicator,
    { provide: KAFKA, useFactory: (c: ConfigService) => createKafka(kafkaConfig(c)), inject: [ConfigService] },
    {
      provide: KAFKA_HEALTH_ADMIN,
      useFactory: (c: ConfigService) => createKafka(kafkaConfig(c), { clientId: `${kafkaConfig(c).clientId}-health`, fastFail: true }),
      inject: [ConfigService],
    },
    { provide: TopicNames, useFactory: (c: ConfigService) => new TopicNames(kafkaConfig(c).topicPrefix), inject: [ConfigService] },
    KafkaMetrics,
    {
      provide: EventProducer,
      useFactory: (k: Kafka, n: TopicNames, m: KafkaMetrics) =>
        new EventProducer(k, n, (topic, outcome, messages) => m.sent.inc({ messaging_destination_name: topic, outcome }, messages)),
      inject: [KAFKA, TopicNames, KafkaMetrics],
    },
    { provide: ProducerLifecycle, useFactory: (p: EventProducer) => new ProducerLifecycle(p), inject: [EventProducer] },
    TopicsReady,
    ConsumerStalls,
    KafkaEventsServer,
    KafkaHealth,
    ConsumerOffsetsMetrics,
    UserDeletionsFeed,
  ],
  exports: [KAFKA, TopicNames, EventProducer, TopicsReady, KafkaEventsServer, ConsumerStalls],
})
export class KafkaModule {}
