import { Controller } from '@nestjs/common';
import { Topics, type EventEnvelope, type EventsMap } from '@ecom/events';
import { EventHandler } from '@ecom/kafka';
import { StockReservationsService } from './stock-reservations.service';

/** the saga's product side: order events in, stock events out (through the reservation's outbox) */
@Controller()
export class StockMessageController {
  constructor(private readonly stock: StockReservationsService) {}

  @EventHandler(Topics.OrderPlaced)
  async onOrderPlaced({ payload }: EventEnvelope<EventsMap['order.placed']>): Promise<void> {
    await this.stock.reserve(payload);
  }

  @EventHandler(Topics.OrderCancelled)
  async onOrderCancelled({ payload }: EventEnvelope<EventsMap['order.cancelled']>): Promise<void> {
    await this.stock.release(payload);
  }
}
