import { Controller } from '@nestjs/common';
import { Topics, type EventEnvelope, type EventsMap } from '@ecom/events';
import { EventBatchHandler } from '@ecom/kafka';
import { factsOf } from '../facts/event-facts';
import { FactsRepository } from '../facts/facts.repository';

/**
 * turns domain events into analytics facts, a batch at a time: under load, the events that queued up
 * on a partition are written together, in a few requests (FactsRepository.recordAll). idempotent:
 * every row is keyed by the envelope id with values derived from the event alone, so a redelivered
 * event rewrites the same rows (analytics.schema.ts).
 */
@Controller()
export class RecordEventsMessageController {
  constructor(private readonly facts: FactsRepository) {}

  @EventBatchHandler(Topics.UserRegistered)
  async onUsersRegistered(events: EventEnvelope<EventsMap['user.registered']>[]): Promise<void> {
    await this.facts.recordAll(events.map((e) => factsOf(Topics.UserRegistered, e)));
  }

  @EventBatchHandler(Topics.OrderPlaced)
  async onOrdersPlaced(events: EventEnvelope<EventsMap['order.placed']>[]): Promise<void> {
    await this.facts.recordAll(events.map((e) => factsOf(Topics.OrderPlaced, e)));
  }

  @EventBatchHandler(Topics.OrderConfirmed)
  async onOrdersConfirmed(events: EventEnvelope<EventsMap['order.confirmed']>[]): Promise<void> {
    await this.facts.recordAll(events.map((e) => factsOf(Topics.OrderConfirmed, e)));
  }

  @EventBatchHandler(Topics.OrderRejected)
  async onOrdersRejected(events: EventEnvelope<EventsMap['order.rejected']>[]): Promise<void> {
    await this.facts.recordAll(events.map((e) => factsOf(Topics.OrderRejected, e)));
  }

  @EventBatchHandler(Topics.OrderCancelled)
  async onOrdersCancelled(events: EventEnvelope<EventsMap['order.cancelled']>[]): Promise<void> {
    await this.facts.recordAll(events.map((e) => factsOf(Topics.OrderCancelled, e)));
  }
}
