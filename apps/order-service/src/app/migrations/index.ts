import { outboxMigrations, RateLimitCounts1764500000000 } from '@ecom/store-postgres';
import { Orders1763800000000 } from './1763800000000-orders';
import { PendingOrders1764900000000 } from './1764900000000-pending-orders';

// in order; typeorm records each one it ran in the migrations table
export const orderMigrations = [...outboxMigrations, Orders1763800000000, RateLimitCounts1764500000000, PendingOrders1764900000000];
