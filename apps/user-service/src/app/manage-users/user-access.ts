import { NotFoundException } from '@nestjs/common';
import type { AuthUser } from '@ecom/auth';

/** a user may act on their own account, an admin on any; anyone else learns nothing, not even that it exists */
export function assertSelfOrAdmin(caller: AuthUser, userId: string): void {
  if (caller.role !== 'admin' && caller.id !== userId) throw new NotFoundException('no such user');
}
