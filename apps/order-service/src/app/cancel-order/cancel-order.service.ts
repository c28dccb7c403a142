import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import type { AuthUser } from '@ecom/auth';
import { Topics } from '@ecom/events';
import { PgOutbox } from '@ecom/store-postgres';
import { canSee } from '../orders/order-access';
import { IllegalTransitionError, nextStatus } from '../orders/order-status';
import { OrderEntity } from '../orders/order.entity';
import { OrdersRepository } from '../orders/orders.repository';
import { SagaMetrics } from '../saga/saga.metrics';

/** cancelling is the saga's compensation: order.cancelled makes the catalog put the stock back */
@Injectable()
export class CancelOrderService {
  constructor(
    private readonly outbox: PgOutbox,
    private readonly orders: OrdersRepository,
    private readonly metrics: SagaMetrics,
  ) {}

  async cancel(caller: AuthUser, id: string): Promise<OrderEntity> {
    const cancelled = await this.outbox.transaction(async (em, publish) => {
      // the lock orders this with the saga's answer for the same order
      const order = await this.orders.find(id, em, true);
      if (!order || !canSee(caller, order)) throw new NotFoundException('no such order');
      try {
        order.status = nextStatus(order.status, 'cancel');
      } catch (e) {
        if (e instanceof IllegalTransitionError) throw new ConflictException(e.message);
        throw e;
      }
      await em.update(OrderEntity, id, { status: order.status });
      await publish(Topics.OrderCancelled, { orderId: id, userId: order.userId }, { key: id });
      return (await this.orders.find(id, em)) ?? order;
    });
    this.metrics.settled('cancelled', cancelled.createdAt);
    return cancelled;
  }
}
