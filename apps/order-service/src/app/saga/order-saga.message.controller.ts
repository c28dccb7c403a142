import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { Topics, type EventEnvelope, type EventsMap } from '@ecom/events';
import { EventBatchHandler, EventContext } from '@ecom/kafka';
import { OrderSagaService } from './order-saga.service';

/** the catalog's answers to order.placed, the ones that queued up on a partition settled together */
@Controller()
export class OrderSagaMessageController {
  constructor(private readonly saga: OrderSagaService) {}

  @EventBatchHandler(Topics.StockReserved)
  async onStockReserved(@Payload() events: EventEnvelope<EventsMap['stock.reserved']>[], @Ctx() context: EventContext): Promise<void> {
    await this.saga.stockReserved(events, (event, work) => context.within(event, work));
  }

  @EventBatchHandler(Topics.StockRejected)
  async onStockRejected(@Payload() events: EventEnvelope<EventsMap['stock.rejected']>[], @Ctx() context: EventContext): Promise<void> {
    await this.saga.stockRejected(events, (event, work) => context.within(event, work));
  }
}
