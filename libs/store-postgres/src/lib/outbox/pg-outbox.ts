import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { createEnvelope, type EventEnvelope, type EventMeta, type EventsMap, type TopicName } from '@ecom/events';
import { currentCorrelationId } from '@ecom/observability';
import { PgOutboxRelay } from './pg-outbox.relay';

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
    const envelope = createEnvelope(topic, payload, { correlationId: currentCorrelationId(), ...meta });
    await em.query('insert into outbox (id, topic, key, envelope) values ($1, $2, $3, $4)', [envelope.id, topic, envelope.key, envelope]);
    return envelope;
  }

  /** runs work in one transaction; the events it publishes go out after the commit */
  async transaction<R>(work: (em: EntityManager, publish: Publish) => Promise<R>): Promise<R> {
    const result = await this.dataSource.transaction((em) => work(em, (topic, payload, meta) => this.add(em, topic, payload, meta)));
    this.relay.nudge();
    return result;
  }
}
