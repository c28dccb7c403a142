import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { PreparedStatement } from './prepared';

/**
 * the counts' table, for a service with postgres and no redis. unlogged on purpose: a count is worth
 * nothing after a crash, and writing one must not wait for a WAL flush on the request's path (the
 * orders themselves stay fully durable). an unlogged table is empty after a crash or a failover,
 * which at worst lets a client start a fresh period early.
 */
export class RateLimitCounts1764500000000 implements MigrationInterface {
  name = 'RateLimitCounts1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create unlogged table rate_limit_counts (
        key text primary key,
        hits int not null,
        resets_at timestamptz not null,
        blocked_until timestamptz
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table rate_limit_counts');
  }
}

// a period is over (and a block, if there was one): the count starts again at this request
const FRESH = '(h.blocked_until <= now() or (h.blocked_until is null and h.resets_at <= now()))';

// one statement, so parallel requests of one client queue on the row and each sees its own count;
// prepared, since every limited request runs it
const INCREMENT = new PreparedStatement(
  'rate-limits:increment',
  `
  insert into rate_limit_counts as h (key, hits, resets_at, blocked_until)
  values ($1, 1, now() + $2 * interval '1 millisecond', null)
  on conflict (key) do update set
    hits = case when ${FRESH} then 1 else h.hits + 1 end,
    resets_at = case when ${FRESH} then excluded.resets_at else h.resets_at end,
    blocked_until = case
      when ${FRESH} then null
      when h.blocked_until is not null then h.blocked_until
      when h.hits + 1 > $3 then now() + $4 * interval '1 millisecond'
    end
  returning hits,
    ceil(greatest(0, extract(epoch from resets_at - now())))::int as expires_s,
    ceil(greatest(0, extract(epoch from coalesce(blocked_until, now()) - now())))::int as blocked_s`,
);

const SWEEP = `delete from rate_limit_counts where resets_at < now() and (blocked_until is null or blocked_until < now())`;
const SWEEP_EVERY_MS = 60_000;

/** rate limit counts in postgres (the RateLimitCounts1764500000000 migration's table) */
@Injectable()
export class PostgresRateLimitCounts implements ThrottlerStorage, OnModuleInit, OnModuleDestroy {
  private sweeper?: NodeJS.Timeout;

  constructor(private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    // every replica sweeps; a delete of what is already gone costs nothing
    this.sweeper = setInterval(() => void this.dataSource.query(SWEEP).catch(() => undefined), SWEEP_EVERY_MS).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number) {
    const [row] = await INCREMENT.run<{ hits: number; expires_s: number; blocked_s: number }>(this.dataSource, [key, ttl, limit, blockDuration]);
    return { totalHits: row.hits, timeToExpire: row.expires_s, isBlocked: row.blocked_s > 0, timeToBlockExpire: row.blocked_s };
  }
}
