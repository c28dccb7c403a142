import { Counter } from 'prom-client';
import { Metrics, scrapeGauge, sharedRead } from '@ecom/observability';

export interface OutboxBacklog {
  /** events committed and not yet sent */
  readonly events: number;
  /** age of the oldest of them; 0 when there are none */
  readonly oldestAgeSeconds: number;
}

/** a store's outbox: what waits in it (read from the store at scrape time) and what its relay sent */
export class OutboxMetrics {
  /** counts events the relay sent, once kafka has them */
  readonly relayed: { inc(events: number): void };

  constructor(metrics: Metrics, dbSystem: 'postgresql' | 'mongodb', backlog: () => Promise<OutboxBacklog>) {
    const labels = { db_system_name: dbSystem };
    const read = sharedRead(backlog);
    scrapeGauge(metrics, {
      name: 'outbox_events',
      help: 'events committed with their state change and not yet sent to kafka',
      labelNames: ['db_system_name'],
      read: async () => [{ labels, value: (await read()).events }],
    });
    scrapeGauge(metrics, {
      name: 'outbox_oldest_event_age_seconds',
      help: 'age of the oldest event not yet sent to kafka; 0 when the outbox is empty',
      labelNames: ['db_system_name'],
      read: async () => [{ labels, value: (await read()).oldestAgeSeconds }],
    });
    const relayed = new Counter({
      name: 'outbox_relayed_events_total',
      help: 'events the outbox relay sent to kafka',
      labelNames: ['db_system_name'],
      registers: [metrics.registry],
    });
    this.relayed = relayed.labels(labels);
  }
}
