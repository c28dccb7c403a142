import type { AuthUser } from '@ecom/auth';
import type { OrderEntity } from './order.entity';

/** owners and admins see an order; for anyone else it does not exist (404, not 403) */
export function canSee(caller: AuthUser, order: Pick<OrderEntity, 'userId'>): boolean {
  return caller.role === 'admin' || caller.id === order.userId;
}
