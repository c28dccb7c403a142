import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { offsetOf, type PageQuery } from '@ecom/http';
import { OrderEntity, OrderLineEntity } from './order.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** reads of orders; writes happen in the services' outbox transactions */
@Injectable()
export class OrdersRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** the order with its lines; with `lock`, the row stays locked until the caller's transaction ends */
  async find(id: string, em: EntityManager = this.dataSource.manager, lock = false): Promise<OrderEntity | null> {
    // a malformed id names no order; checking here keeps postgres from failing the cast
    if (!UUID.test(id)) return null;
    const order = await em.findOne(OrderEntity, { where: { id }, ...(lock && { lock: { mode: 'pessimistic_write' as const } }) });
    if (order) order.lines = await em.find(OrderLineEntity, { where: { orderId: id } });
    return order;
  }

  findByIdempotencyKey(userId: string, idempotencyKey: string): Promise<OrderEntity | null> {
    return this.dataSource.manager.findOne(OrderEntity, { where: { userId, idempotencyKey }, relations: { lines: true } });
  }

  /** newest first; `userId` narrows to one customer's orders */
  async list(q: PageQuery, userId?: string): Promise<{ items: OrderEntity[]; total: number }> {
    const [items, total] = await this.dataSource.manager.findAndCount(OrderEntity, {
      where: userId ? { userId } : {},
      relations: { lines: true },
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: offsetOf(q),
      take: q.limit,
    });
    return { items, total };
  }
}
