import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Topics, type EventEnvelope, type StockRejected, type StockReserved } from '@ecom/events';
import { claimEvents, PgOutbox } from '@ecom/store-postgres';
import { UnprocessableEvent, type WithinEvent } from '@ecom/kafka';
import { nextStatus, type OrderTransition } from '../orders/order-status';
import { OrdersRepository, type LockedOrder, type Settlement } from '../orders/orders.repository';
import { SERVICE } from '../order.config';
import { SagaMetrics } from './saga.metrics';

const alone: WithinEvent = (_event, work) => work();

/**
 * the order side of the saga: the catalog's answers settle PENDING orders, many in one transaction
 * under load. each event is claimed in the same transaction as its effect, so a redelivery changes
 * nothing. `within` runs an event's own part (the event it publishes, what it logs) in that event's
 * trace and correlation id (EventContext.within).
 */
@Injectable()
export class OrderSagaService {
  private readonly log = new Logger(OrderSagaService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: PgOutbox,
    private readonly orders: OrdersRepository,
    private readonly metrics: SagaMetrics,
  ) {}

  async stockReserved(events: readonly EventEnvelope<StockReserved>[], within: WithinEvent = alone): Promise<void> {
    await this.settle(events, 'confirm', within, (event, order) => {
      const { orderId, lines, total } = event.payload;
      return {
        totalAmount: total.amount,
        currency: total.currency,
        lines: lines.map((l) => ({ productId: l.productId, sku: l.sku, name: l.name, unitPriceAmount: l.unitPrice.amount })),
        event: this.outbox.staged(
          Topics.OrderConfirmed,
          {
            orderId,
            userId: order.userId,
            lines: lines.map((l) => ({ productId: l.productId, quantity: l.quantity, unitPrice: l.unitPrice })),
            total,
          },
          { key: orderId, causedBy: event },
        ),
      };
    });
  }

  async stockRejected(events: readonly EventEnvelope<StockRejected>[], within: WithinEvent = alone): Promise<void> {
    await this.settle(events, 'reject', within, (event, order) => {
      const { orderId, reason } = event.payload;
      return {
        reason,
        event: this.outbox.staged(Topics.OrderRejected, { orderId, userId: order.userId, reason }, { key: orderId, causedBy: event }),
      };
    });
  }

  /**
   * one transaction: claims the events, locks their orders, settles each PENDING one with its event,
   * in one statement. an order that does not exist makes the whole call fail with UnprocessableEvent:
   * the consumer then handles the events one at a time, and only that one is dead-lettered
   */
  private async settle<E extends EventEnvelope<{ orderId: string }>>(
    events: readonly E[],
    transition: OrderTransition,
    within: WithinEvent,
    // the transition's own changes and event for one order
    settlement: (event: E, order: LockedOrder) => Omit<Settlement, 'orderId' | 'status'>,
  ): Promise<void> {
    const placedAt = await this.dataSource.transaction(async (em) => {
      const claimed = await claimEvents(
        em,
        SERVICE,
        events.map((e) => e.id),
      );
      // each claimed event once, in order (a redelivery can sit in the same batch as the first delivery)
      const mine = events.filter((e) => claimed.delete(e.id));
      const orders = await this.orders.lockAll(
        em,
        mine.map((e) => e.payload.orderId),
      );
      const settlements: Settlement[] = [];
      const settled: Date[] = [];
      for (const event of mine) {
        const { orderId } = event.payload;
        const order = orders.get(orderId);
        if (!order) throw new UnprocessableEvent(`order ${orderId} does not exist here`);
        if (order.status !== 'PENDING') {
          // cancelled while pending: the catalog got the cancel as well and puts the stock back
          within(event, () =>
            this.log.log({ orderId, status: order.status, transition }, 'the order is settled already; the answer changes nothing'),
          );
          continue;
        }
        order.status = nextStatus(order.status, transition);
        settlements.push({ ...within(event, () => settlement(event, order)), orderId, status: order.status });
        settled.push(order.createdAt);
      }
      await this.orders.settleAll(em, settlements);
      return settled;
    });
    if (placedAt.length === 0) return;
    this.outbox.flush();
    for (const at of placedAt) this.metrics.settled(transition === 'confirm' ? 'confirmed' : 'rejected', at);
  }
}
