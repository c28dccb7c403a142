import type { MigrationInterface, QueryRunner } from 'typeorm';

/** the outbox and the processed-event record; services list this among their own migrations */
export class EventsOutbox1763700000000 implements MigrationInterface {
  name = 'EventsOutbox1763700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table outbox (
        seq bigint generated always as identity primary key,
        id uuid not null unique,
        topic text not null,
        key text not null,
        envelope jsonb not null,
        created_at timestamptz not null default now()
      )`);
    await q.query(`
      create table processed_event (
        consumer text not null,
        event_id uuid not null,
        processed_at timestamptz not null default now(),
        primary key (consumer, event_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table processed_event');
    await q.query('drop table outbox');
  }
}

/** each event's trace context (a W3C traceparent), so the relay's later send continues the request's trace */
export class OutboxTraceContext1764950000000 implements MigrationInterface {
  name = 'OutboxTraceContext1764950000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('alter table outbox add column if not exists trace_context text');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('alter table outbox drop column if exists trace_context');
  }
}

/** the outbox's migrations in order; services list them among their own */
export const outboxMigrations = [EventsOutbox1763700000000, OutboxTraceContext1764950000000];
