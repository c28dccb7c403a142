import { EventsOutbox1763700000000 } from '@ecom/kafka';

// in order; typeorm records each one it ran in the migrations table
export const orderMigrations = [EventsOutbox1763700000000];
