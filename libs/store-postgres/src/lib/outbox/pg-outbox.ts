import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { createEnvelope, type EventEnvelope, type EventMeta, type EventsMap, type TopicName } from '@ecom/events';
import { currentTraceparent } from '@ecom/kafka';
import { currentCorrelationId } from '@ecom/observability';
import { PgOutboxRelay } from './pg-outbox.relay';

/** an event for the caller's own insert into the outbox: its values in OUTBOX_COLUMNS order */
export interface StagedEvent<T> {
  readonly envelope: EventEnvelope<T>;
  readonly values: readonly [id: string, topic: string, key: string, envelope: EventEnvelope<T>, traceContext: string | null];
}

/** the outbox columns a staged event fills, for a statement that inserts it itself */
export const OUTBOX_COLUMNS = 'id, topic, key, envelope, trace_context';

export type Publish = <T extends TopicName>(topic: T, payload: EventsMap[T], meta: EventMeta) => Promise<EventEnvelope<EventsMap[T]>>;

/**
 * events are rows written in the same transaction as the state change, so both commit or
 * neither does. the relay sends them to kafka afterwards.
 */
@Injectable()
export class PgOutbox {
  constructor(
    private readonly dataSource: DataSource,
    private readonly relay: PgOutboxRelay,
  ) {}

  /** stages an event in the caller's transaction; the payload is validated here */
  async add<T extends TopicName>(
    em: EntityManager,
    topic: T,
    payload: EventsMap[T],
    meta: EventMeta,
  ): Promise<EventEnvelope<EventsMap[T]>> {
    const { envelope, values } = this.staged(topic, payload, meta);
    await em.query(`insert into outbox (${OUTBOX_COLUMNS}) values ($1, $2, $3, $4, $5)`, [...values]);
    return envelope;
  }

  /**
   * an event for a write that inserts it into the outbox in its own statement (a hot path doing its
   * whole change in one round trip); validated here, as add() does. call flush() after the commit
   */
  staged<T extends TopicName>(topic: T, payload: EventsMap[T], meta: EventMeta): StagedEvent<EventsMap[T]> {
    const envelope = createEnvelope(topic, payload, { correlationId: currentCorrelationId(), ...meta });
    // the trace context of the request or handler that staged it, for the relay's later send
    return { envelope, values: [envelope.id, topic, envelope.key, envelope, currentTraceparent() ?? null] };
  }

  /** after a commit that staged events itself: they go out without waiting for the relay's next poll */
  flush(): void {
    this.relay.nudge();
  }

  /** runs work in one transaction; the events it publishes go out after the commit */
  async transaction<R>(work: (em: EntityManager, publish: Publish) => Promise<R>): Promise<R> {
    const result = await this.dataSource.transaction((em) => work(em, (topic, payload, meta) => this.add(em, topic, payload, meta)));
    this.relay.nudge();
    return result;
  }
}
