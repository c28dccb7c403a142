import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { Topics, type EventEnvelope, type EventsMap } from '@ecom/events';
import { EventBatchHandler, EventContext, EventHandler } from '@ecom/kafka';
import { StockReservationsService } from './stock-reservations.service';

/** the saga's product side: order events in, stock events out (through the reservation's outbox) */
@Controller()
export class StockMessageController {
  constructor(private readonly stock: StockReservationsService) {}

  // the orders that queued up on a partition take their stock together
  @EventBatchHandler(Topics.OrderPlaced)
  async onOrdersPlaced(@Payload() events: EventEnvelope<EventsMap['order.placed']>[], @Ctx() context: EventContext): Promise<void> {
    await this.stock.reserveAll(events, (event, work) => context.within(event, work));
  }

  @EventHandler(Topics.OrderCancelled)
  async onOrderCancelled({ payload }: EventEnvelope<EventsMap['order.cancelled']>): Promise<void> {
    await this.stock.release(payload);
  }
}
