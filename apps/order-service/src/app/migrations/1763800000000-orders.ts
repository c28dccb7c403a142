import type { MigrationInterface, QueryRunner } from 'typeorm';

/** orders and their lines; the status check mirrors ORDER_STATUSES */
export class Orders1763800000000 implements MigrationInterface {
  name = 'Orders1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table orders (
        id uuid primary key,
        user_id text not null,
        status text not null check (status in ('PENDING', 'CONFIRMED', 'REJECTED', 'CANCELLED')),
        total_amount bigint,
        currency char(3),
        reason text,
        idempotency_key text,
        request_hash text,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
    // a key names one order per caller; the index also serves the replay lookup
    await q.query('create unique index orders_user_idempotency_key on orders (user_id, idempotency_key) where idempotency_key is not null');
    // the list: a caller's orders, newest first, and all orders for admins
    await q.query('create index orders_user_created on orders (user_id, created_at desc, id desc)');
    await q.query('create index orders_created on orders (created_at desc, id desc)');
    await q.query(`
      create table order_lines (
        order_id uuid not null references orders (id) on delete cascade,
        line_no int not null,
        product_id text not null,
        quantity int not null check (quantity > 0),
        sku text,
        name text,
        unit_price_amount bigint,
        primary key (order_id, line_no)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table order_lines');
    await q.query('drop table orders');
  }
}
