import { PATTERN_EXTRAS_METADATA, PATTERN_HANDLER_METADATA, PATTERN_METADATA } from '@nestjs/microservices/constants';
import { PatternHandler } from '@nestjs/microservices/enums/pattern-handler.enum';
import { Topics, type EventEnvelope, type EventsMap } from '@ecom/events';
import type { EventContext } from './event-context';
import { EventBatchHandler, EventHandler } from './event-handler.decorator';

class Handlers {
  @EventHandler(Topics.OrderPlaced)
  async onPlaced(_event: EventEnvelope<EventsMap['order.placed']>): Promise<void> {
    return undefined;
  }

  @EventHandler(Topics.StockReserved)
  async onReserved(_event: EventEnvelope<EventsMap['stock.reserved']>, _context: EventContext): Promise<void> {
    return undefined;
  }

  @EventBatchHandler(Topics.OrderConfirmed)
  async onConfirmed(_events: EventEnvelope<EventsMap['order.confirmed']>[], _context: EventContext): Promise<void> {
    return undefined;
  }

  // @ts-expect-error a batch handler takes an array of its topic's envelopes, not one
  @EventBatchHandler(Topics.OrderRejected)
  async onRejectedOne(_event: EventEnvelope<EventsMap['order.rejected']>): Promise<void> {
    return undefined;
  }

  // the compile-time check: a handler whose envelope is another topic's does not compile
  // @ts-expect-error stock.rejected's handler given product.upserted's envelope
  @EventHandler(Topics.StockRejected)
  async onRejected(_event: EventEnvelope<EventsMap['product.upserted']>): Promise<void> {
    return undefined;
  }
}

describe('@EventHandler', () => {
  it("is nest's @EventPattern for the topic: an event, not a request", () => {
    for (const [method, topic] of [
      ['onPlaced', Topics.OrderPlaced],
      ['onReserved', Topics.StockReserved],
    ] as const) {
      const fn = Handlers.prototype[method];
      expect([method, Reflect.getMetadata(PATTERN_METADATA, fn)]).toEqual([method, [topic]]);
      expect(Reflect.getMetadata(PATTERN_HANDLER_METADATA, fn)).toBe(PatternHandler.EVENT);
    }
  });

  it('@EventBatchHandler is the same pattern, marked as taking a batch', () => {
    const fn = Handlers.prototype.onConfirmed;
    expect(Reflect.getMetadata(PATTERN_METADATA, fn)).toEqual([Topics.OrderConfirmed]);
    expect(Reflect.getMetadata(PATTERN_HANDLER_METADATA, fn)).toBe(PatternHandler.EVENT);
    expect(Reflect.getMetadata(PATTERN_EXTRAS_METADATA, fn)).toEqual({ batch: true });
    expect(Reflect.getMetadata(PATTERN_EXTRAS_METADATA, Handlers.prototype.onPlaced)).not.toHaveProperty('batch');
  });
});
