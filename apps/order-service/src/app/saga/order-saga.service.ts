import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Topics, type EventEnvelope, type StockRejected, type StockReserved } from '@ecom/events';
import { claimEvent, PgOutbox, type Publish } from '@ecom/store-postgres';
import { UnprocessableEvent } from '@ecom/kafka';
import { nextStatus, type OrderTransition } from '../orders/order-status';
import { OrderEntity, OrderLineEntity } from '../orders/order.entity';
import { OrdersRepository } from '../orders/orders.repository';
import { SERVICE } from '../order.config';
import { SagaMetrics } from './saga.metrics';

/**
 * the order side of the saga: the catalog's answer settles a PENDING order. each event is
 * claimed in the same transaction as its effect, so a redelivery changes nothing.
 */
@Injectable()
export class OrderSagaService {
  private readonly log = new Logger(OrderSagaService.name);

  constructor(
    private readonly outbox: PgOutbox,
    private readonly orders: OrdersRepository,
    private readonly metrics: SagaMetrics,
  ) {}

  async stockReserved(event: EventEnvelope<StockReserved>): Promise<void> {
    const { orderId, lines, total } = event.payload;
    await this.settle(event, 'confirm', async (em, order, publish) => {
      for (const l of lines) {
        await em.update(
          OrderLineEntity,
          { orderId, productId: l.productId },
          { sku: l.sku, name: l.name, unitPriceAmount: l.unitPrice.amount },
        );
      }
      await publish(
        Topics.OrderConfirmed,
        {
          orderId,
          userId: order.userId,
          lines: lines.map((l) => ({ productId: l.productId, quantity: l.quantity, unitPrice: l.unitPrice })),
          total,
        },
        { key: orderId, causedBy: event },
      );
      return { totalAmount: total.amount, currency: total.currency };
    });
  }

  async stockRejected(event: EventEnvelope<StockRejected>): Promise<void> {
    const { orderId, reason } = event.payload;
    await this.settle(event, 'reject', async (_em, order, publish) => {
      await publish(Topics.OrderRejected, { orderId, userId: order.userId, reason }, { key: orderId, causedBy: event });
      return { reason };
    });
  }

  private async settle(
    event: EventEnvelope<{ orderId: string }>,
    transition: OrderTransition,
    // the transition's own writes and events; returns the order's other changes
    apply: (em: EntityManager, order: OrderEntity, publish: Publish) => Promise<Partial<OrderEntity>>,
  ): Promise<void> {
    const { orderId } = event.payload;
    const placedAt = await this.outbox.transaction(async (em, publish) => {
      if (!(await claimEvent(em, SERVICE, event.id))) return null;
      const order = await this.orders.find(orderId, em, true);
      if (!order) throw new UnprocessableEvent(`order ${orderId} does not exist here`);
      if (order.status !== 'PENDING') {
        // cancelled while pending: the catalog got the cancel as well and puts the stock back
        this.log.log({ orderId, status: order.status, transition }, 'the order is settled already; the answer changes nothing');
        return null;
      }
      const status = nextStatus(order.status, transition);
      await em.update(OrderEntity, orderId, { ...(await apply(em, order, publish)), status });
      return order.createdAt;
    });
    if (placedAt) this.metrics.settled(transition === 'confirm' ? 'confirmed' : 'rejected', placedAt);
  }
}
