import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { DataSource } from 'typeorm';
import { Metrics, scrapeGauge, sharedRead } from '@ecom/observability';

export type SagaOutcome = 'confirmed' | 'rejected' | 'cancelled';

// seconds from an order's commit to its settlement: tens of milliseconds when the saga flows, minutes during an outage
const SAGA_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

// served by the partial index orders_pending_created, which holds only the PENDING rows
const PENDING = `
  select count(*)::int as orders, coalesce(extract(epoch from now() - min(created_at)), 0)::float8 as age
  from orders where status = 'PENDING'`;

/**
 * how the saga ends and how long it takes, counted by the order-service once the settling
 * transaction committed; and the orders still waiting, read from postgres at scrape time, whose
 * oldest age is what the SagaStalled alert watches
 */
@Injectable()
export class SagaMetrics implements OnModuleInit {
  private readonly outcomes: Counter<'outcome'>;
  private readonly duration: Histogram<'outcome'>;

  constructor(
    private readonly metrics: Metrics,
    private readonly dataSource: DataSource,
  ) {
    const registers = [metrics.registry];
    this.outcomes = new Counter({
      name: 'order_saga_outcomes_total',
      help: 'orders settled, by outcome (confirmed, rejected, cancelled)',
      labelNames: ['outcome'],
      registers,
    });
    this.duration = new Histogram({
      name: 'order_saga_duration_seconds',
      help: "from an order's commit to its settlement, by outcome",
      labelNames: ['outcome'],
      buckets: SAGA_BUCKETS,
      registers,
    });
  }

  onModuleInit(): void {
    const pending = sharedRead<{ orders: number; age: number }>(async () => (await this.dataSource.query(PENDING))[0]);
    scrapeGauge(this.metrics, {
      name: 'orders_pending',
      help: "orders waiting for the catalog's answer",
      read: async () => [{ value: (await pending()).orders }],
    });
    scrapeGauge(this.metrics, {
      name: 'orders_pending_oldest_age_seconds',
      help: 'age of the oldest PENDING order; 0 when none waits',
      read: async () => [{ value: Math.max(0, (await pending()).age) }],
    });
  }

  /** call after the transaction that settled the order committed */
  settled(outcome: SagaOutcome, placedAt: Date): void {
    this.outcomes.inc({ outcome });
    this.duration.observe({ outcome }, Math.max(0, Date.now() - placedAt.getTime()) / 1000);
  }
}
