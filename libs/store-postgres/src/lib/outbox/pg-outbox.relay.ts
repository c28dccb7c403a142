import { Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { EventEnvelope } from '@ecom/events';
import { EventProducer, OUTBOX_BATCH_SIZE, OutboxMetrics, RelayLoop, TopicsReady } from '@ecom/kafka';
import { Metrics } from '@ecom/observability';
import { PreparedStatement } from '../prepared';

interface Row {
  id: string;
  topic: string;
  envelope: EventEnvelope;
  trace_context: string | null;
}

// the oldest rows, locked (SKIP LOCKED: replicas never send the same row at once) and deleted in one
// round trip; they are gone only if the transaction commits, which it does after kafka took them.
// prepared: every round of the relay runs it
const CLAIM = new PreparedStatement(
  'outbox:claim',
  `
  with claimed as (select seq from outbox order by seq limit $1 for update skip locked),
  gone as (delete from outbox o using claimed c where o.seq = c.seq returning o.seq, o.id, o.topic, o.envelope, o.trace_context)
  select id, topic, envelope, trace_context from gone order by seq`,
);

// what waits: the table stays small (the relay deletes what it sent), so counting it is cheap
const BACKLOG = `select count(*)::int as events, coalesce(extract(epoch from now() - min(created_at)), 0)::float8 as age from outbox`;

/**
 * claims and deletes the oldest rows, sends them in one batch with acks=all, and commits. a crash
 * or a failed send before the commit leaves the rows for the next round: at-least-once,
 * de-duplicated by consumers.
 */
@Injectable()
export class PgOutboxRelay extends RelayLoop implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly metrics: OutboxMetrics;

  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: EventProducer,
    private readonly topics: TopicsReady,
    metrics: Metrics,
  ) {
    super();
    this.metrics = new OutboxMetrics(metrics, 'postgresql', async () => {
      const [row] = await this.dataSource.query(BACKLOG);
      return { events: row.events, oldestAgeSeconds: Math.max(0, row.age) };
    });
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /** events waiting to be sent, for tests (the metrics read the backlog through OutboxMetrics) */
  async pending(): Promise<number> {
    const [{ count }] = await this.dataSource.query('select count(*)::int as count from outbox');
    return count;
  }

  protected async relayOnce(): Promise<number> {
    await this.topics.ready();
    const sent = await this.dataSource.transaction(async (em) => {
      const rows = await CLAIM.run<Row>(em, [OUTBOX_BATCH_SIZE]);
      if (rows.length === 0) return 0;
      await this.producer.sendBatch(rows.map((r) => ({ topic: r.topic, envelope: r.envelope, traceparent: r.trace_context })));
      return rows.length;
    });
    if (sent > 0) this.metrics.relayed.inc(sent);
    return sent;
  }
}
