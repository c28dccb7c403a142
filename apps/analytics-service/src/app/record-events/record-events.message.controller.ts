import { Controller } from '@nestjs/common';
import { Topics, type EventEnvelope, type EventsMap } from '@ecom/events';
import { EventHandler } from '@ecom/kafka';
import { factsOf } from '../facts/event-facts';
import { FactsRepository } from '../facts/facts.repository';

/**
 * turns domain events into analytics facts. idempotent: every row is keyed by the envelope id with
 * values derived from the event alone, so a redelivered event rewrites the same rows (analytics.schema.ts).
 */
@Controller()
export class RecordEventsMessageController {
  constructor(private readonly facts: FactsRepository) {}

  @EventHandler(Topics.UserRegistered)
  async onUserRegistered(event: EventEnvelope<EventsMap['user.registered']>): Promise<void> {
    await this.facts.record(factsOf(Topics.UserRegistered, event));
  }

  @EventHandler(Topics.OrderPlaced)
  async onOrderPlaced(event: EventEnvelope<EventsMap['order.placed']>): Promise<void> {
    await this.facts.record(factsOf(Topics.OrderPlaced, event));
  }

  @EventHandler(Topics.OrderConfirmed)
  async onOrderConfirmed(event: EventEnvelope<EventsMap['order.confirmed']>): Promise<void> {
    await this.facts.record(factsOf(Topics.OrderConfirmed, event));
  }

  @EventHandler(Topics.OrderRejected)
  async onOrderRejected(event: EventEnvelope<EventsMap['order.rejected']>): Promise<void> {
    await this.facts.record(factsOf(Topics.OrderRejected, event));
  }

  @EventHandler(Topics.OrderCancelled)
  async onOrderCancelled(event: EventEnvelope<EventsMap['order.cancelled']>): Promise<void> {
    await this.facts.record(factsOf(Topics.OrderCancelled, event));
  }
}
