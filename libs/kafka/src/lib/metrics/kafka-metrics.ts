import { Injectable } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { LATENCY_BUCKETS, Metrics } from '@ecom/observability';

/**
 * the messaging metrics of the OpenTelemetry conventions (deploy/monitoring/README.md). topic
 * labels hold the logical topic, so dashboards read the same with or without a topic prefix.
 */
@Injectable()
export class KafkaMetrics {
  readonly consumed: Counter<'messaging_destination_name' | 'messaging_consumer_group_name' | 'outcome'>;
  readonly processDuration: Histogram<'messaging_destination_name' | 'messaging_consumer_group_name' | 'outcome'>;
  readonly sent: Counter<'messaging_destination_name' | 'outcome'>;

  constructor(metrics: Metrics) {
    const registers = [metrics.registry];
    this.consumed = new Counter({
      name: 'messaging_client_consumed_messages_total',
      help: 'messages consumed, by topic, consumer group and outcome (handled, dead_lettered; retried and paused per failed attempt)',
      labelNames: ['messaging_destination_name', 'messaging_consumer_group_name', 'outcome'],
      registers,
    });
    this.processDuration = new Histogram({
      name: 'messaging_process_duration_seconds',
      help: "from a message's first attempt to its outcome, retries and waits for a store included",
      labelNames: ['messaging_destination_name', 'messaging_consumer_group_name', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.sent = new Counter({
      name: 'messaging_client_sent_messages_total',
      help: 'messages sent to kafka (events, dead letters, replays), by topic and outcome (sent, failed)',
      labelNames: ['messaging_destination_name', 'outcome'],
      registers,
    });
  }
}
