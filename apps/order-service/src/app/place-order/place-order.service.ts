import { Injectable, UnprocessableEntityException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { AuthUser } from '@ecom/auth';
import { Topics } from '@ecom/events';
import { PgOutbox } from '@ecom/store-postgres';
import { OrderEntity, OrderLineEntity } from '../orders/order.entity';
import { OrdersRepository } from '../orders/orders.repository';
import { fingerprint, mergeItems } from './order-request';
import type { OrderItemRequest } from './place-order.request.dto';

export interface Placed {
  readonly order: OrderEntity;
  /** true when an earlier request with the same Idempotency-Key created the order */
  readonly replayed: boolean;
}

/** a new PENDING order and its order.placed event, in one transaction */
@Injectable()
export class PlaceOrderService {
  constructor(
    private readonly outbox: PgOutbox,
    private readonly orders: OrdersRepository,
  ) {}

  async place(caller: AuthUser, items: OrderItemRequest[], idempotencyKey?: string): Promise<Placed> {
    const lines = mergeItems(items);
    const hash = idempotencyKey === undefined ? null : fingerprint(items);
    return this.outbox.transaction(async (em, publish) => {
      const id = randomUUID();
      // a racing request with the same key waits here for the first one's commit, then finds its order
      const inserted: unknown[] = await em.query(
        `insert into orders (id, user_id, status, idempotency_key, request_hash) values ($1, $2, 'PENDING', $3, $4)
         on conflict do nothing returning id`,
        [id, caller.id, idempotencyKey ?? null, hash],
      );
      if (inserted.length === 0) return { order: await this.replay(caller, idempotencyKey ?? '', hash), replayed: true };
      await em.insert(
        OrderLineEntity,
        lines.map((l, i) => ({ orderId: id, lineNo: i + 1, productId: l.productId, quantity: l.quantity })),
      );
      await publish(Topics.OrderPlaced, { orderId: id, userId: caller.id, lines }, { key: id });
      const order = await this.orders.find(id, em);
      if (!order) throw new Error(`order ${id} vanished inside its own transaction`);
      return { order, replayed: false };
    });
  }

  private async replay(caller: AuthUser, key: string, hash: string | null): Promise<OrderEntity> {
    const existing = await this.orders.findByIdempotencyKey(caller.id, key);
    if (!existing) throw new Error(`the order for Idempotency-Key ${key} conflicted but cannot be found`);
    if (existing.requestHash !== hash) {
      throw new UnprocessableEntityException('this Idempotency-Key was already used with a different request body');
    }
    return existing;
  }
}
