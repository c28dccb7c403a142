import { Injectable, UnprocessableEntityException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { AuthUser } from '@ecom/auth';
import { Topics } from '@ecom/events';
import { PgOutbox } from '@ecom/store-postgres';
import type { OrderEntity } from '../orders/order.entity';
import { OrdersRepository } from '../orders/orders.repository';
import { fingerprint, mergeItems } from './order-request';
import type { OrderItemRequest } from './place-order.request.dto';

export interface Placed {
  readonly order: OrderEntity;
  /** true when an earlier request with the same Idempotency-Key created the order */
  readonly replayed: boolean;
}

/** a new PENDING order and its order.placed event, atomically (one statement) */
@Injectable()
export class PlaceOrderService {
  constructor(
    private readonly outbox: PgOutbox,
    private readonly orders: OrdersRepository,
  ) {}

  async place(caller: AuthUser, items: OrderItemRequest[], idempotencyKey?: string): Promise<Placed> {
    const lines = mergeItems(items);
    const hash = idempotencyKey === undefined ? null : fingerprint(items);
    const id = randomUUID();
    const event = this.outbox.staged(Topics.OrderPlaced, { orderId: id, userId: caller.id, lines }, { key: id });
    // a racing request with the same key waits for the first one's commit, inserts nothing, then finds its order
    const order = await this.orders.place(
      { id, userId: caller.id, idempotencyKey: idempotencyKey ?? null, requestHash: hash, lines },
      event,
    );
    if (!order) return { order: await this.replay(caller, idempotencyKey ?? '', hash), replayed: true };
    this.outbox.flush();
    return { order, replayed: false };
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
