import { Controller } from '@nestjs/common';
import { Topics, type EventEnvelope, type EventsMap } from '@ecom/events';
import { EventHandler } from '@ecom/kafka';
import { OrderSagaService } from './order-saga.service';

/** the catalog's answers to order.placed */
@Controller()
export class OrderSagaMessageController {
  constructor(private readonly saga: OrderSagaService) {}

  @EventHandler(Topics.StockReserved)
  async onStockReserved(event: EventEnvelope<EventsMap['stock.reserved']>): Promise<void> {
    await this.saga.stockReserved(event);
  }

  @EventHandler(Topics.StockRejected)
  async onStockRejected(event: EventEnvelope<EventsMap['stock.rejected']>): Promise<void> {
    await this.saga.stockRejected(event);
  }
}
