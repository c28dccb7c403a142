import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Admin, Kafka } from 'kafkajs';
import type { KafkaConfig } from '@ecom/config';
import { deadLetterTopic, type TopicName, TopicNames } from '@ecom/events';
import { Metrics, scrapeGauge, type GaugeSample } from '@ecom/observability';
import { KafkaEventsServer } from '../consumer/kafka-events.server';
import { KAFKA } from '../tokens';

type LagLabels = 'messaging_destination_name' | 'messaging_destination_partition_id' | 'messaging_consumer_group_name';

/**
 * what the broker knows about this service's consumption, read when prometheus scrapes: the
 * group's lag per partition (end offset minus committed offset, as kafka's own tools count it),
 * and how many messages the dead-letter topics of the consumed topics hold. a stalled partition's
 * lag keeps growing here even though its consumer fetches nothing, which a count kept by the
 * consumer itself would not show. the admin connection is the service's own client's, with its
 * retries (the scrape's timeout bounds the wait), opened at the first scrape and kept.
 */
@Injectable()
export class ConsumerOffsetsMetrics implements OnModuleInit, OnApplicationShutdown {
  private admin?: Promise<Admin>;

  constructor(
    private readonly metrics: Metrics,
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly server: KafkaEventsServer,
    private readonly names: TopicNames,
    private readonly config: ConfigService,
  ) {}

  onModuleInit(): void {
    scrapeGauge<LagLabels>(this.metrics, {
      name: 'messaging_kafka_consumer_lag',
      help: "messages in a partition after the consumer group's committed offset",
      labelNames: ['messaging_destination_name', 'messaging_destination_partition_id', 'messaging_consumer_group_name'],
      read: () => this.lag(),
    });
    scrapeGauge<'messaging_destination_name'>(this.metrics, {
      name: 'messaging_kafka_dead_letter_messages',
      help: 'messages retained in the dead-letter topic of a topic this service consumes',
      labelNames: ['messaging_destination_name'],
      read: () => this.deadLetters(),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.admin?.then((a) => a.disconnect()).catch(() => undefined);
  }

  private connected(): Promise<Admin> {
    this.admin ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      return admin;
    })().catch((e: unknown) => {
      // the next scrape connects again
      this.admin = undefined;
      throw e;
    });
    return this.admin;
  }

  private async lag(): Promise<GaugeSample<LagLabels>[]> {
    const topics = this.server.subscribedTopics();
    if (topics.length === 0) return [];
    const group = this.config.getOrThrow<KafkaConfig>('kafka').groupId;
    const admin = await this.connected();
    const [committed, ...ends] = await Promise.all([
      admin.fetchOffsets({ groupId: this.names.group(group), topics: topics.map((t) => this.names.physical(t)) }),
      ...topics.map((t) => admin.fetchTopicOffsets(this.names.physical(t))),
    ]);
    return topics.flatMap((topic, i) => {
      const physical = this.names.physical(topic);
      const done = new Map(committed.find((c) => c.topic === physical)?.partitions.map((p) => [p.partition, Number(p.offset)]));
      return ends[i].map((p) => {
        // -1: the group committed nothing there yet, and reads it from the beginning
        const from = done.get(p.partition) ?? -1;
        return {
          labels: {
            messaging_destination_name: topic,
            messaging_destination_partition_id: p.partition,
            messaging_consumer_group_name: group,
          },
          value: Math.max(0, Number(p.high) - (from < 0 ? Number(p.low) : from)),
        };
      });
    });
  }

  private async deadLetters(): Promise<GaugeSample<'messaging_destination_name'>[]> {
    const dlts = this.server.subscribedTopics().map((t: TopicName) => deadLetterTopic(t));
    if (dlts.length === 0) return [];
    const admin = await this.connected();
    const offsets = await Promise.all(dlts.map((t) => admin.fetchTopicOffsets(this.names.physical(t))));
    return dlts.map((dlt, i) => ({
      labels: { messaging_destination_name: dlt },
      value: offsets[i].reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0),
    }));
  }
}
