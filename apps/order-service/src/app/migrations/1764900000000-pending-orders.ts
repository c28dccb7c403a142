import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * the orders still waiting for the catalog, oldest first: the saga's metrics read their count and the
 * oldest one's age at every scrape, which must not scan every order ever placed. a partial index holds
 * only the few PENDING rows; an order leaves it when the saga settles it
 */
export class PendingOrders1764900000000 implements MigrationInterface {
  name = 'PendingOrders1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`create index if not exists orders_pending_created on orders (created_at) where status = 'PENDING'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop index if exists orders_pending_created');
  }
}
