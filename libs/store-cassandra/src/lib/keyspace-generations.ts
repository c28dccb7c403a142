import { AsyncLocalStorage } from 'node:async_hooks';
import { Inject, Injectable, type CallHandler, type NestInterceptor } from '@nestjs/common';
import { types, type Client } from 'cassandra-driver';
import { Observable } from 'rxjs';
import type { CassandraConfig } from '@ecom/config';
import { applyDdl } from './apply-schema';
import { replicationOf } from './cassandra-client';
import { CASSANDRA_BASE_KEYSPACE, CASSANDRA } from './tokens';

// a service's tables live in a generation: its configured keyspace at first, and after each rebuild
// by replay (npm run rebuild) a new keyspace filled beside it. the configured keyspace keeps a row
// naming the current one; readers and writers re-read it at most GENERATION_TTL_MS apart, so a switch
// reaches every instance within that time.

/** how long an instance uses the generation it read before reading it again */
export const GENERATION_TTL_MS = 5_000;

const ROW = 'current';
const QUORUM = { prepare: true, consistency: types.consistencies.localQuorum } as const;

/** created in the configured keyspace at start-up */
export const generationsDdl = `create table if not exists keyspace_generation (
  id text primary key,
  generation text,
  since timestamp
)`;

/** the keyspace that holds the current generation of the tables: the configured one until a rebuild */
export async function readGeneration(client: Client, base: string): Promise<string> {
  const rs = await client.execute(`select generation from ${base}.keyspace_generation where id = ?`, [ROW], QUORUM);
  return (rs.first()?.['generation'] as string | undefined) ?? base;
}

/** makes `keyspace` the current generation; instances follow within GENERATION_TTL_MS */
export async function writeGeneration(client: Client, base: string, keyspace: string): Promise<void> {
  await client.execute(`insert into ${base}.keyspace_generation (id, generation, since) values (?, ?, ?)`, [ROW, keyspace, new Date()], {
    ...QUORUM,
    isIdempotent: true,
  });
}

/** a new generation's keyspace: the configured one, cut to leave room, and when it was made (48 characters at most) */
export function generationName(base: string, at: Date): string {
  const stamp = at.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `${base.slice(0, 32)}_r${stamp}`;
}

/** creates a generation's keyspace, replicated as the configured one, and the tables in it */
export async function createGeneration(
  client: Client,
  keyspace: string,
  cfg: Pick<CassandraConfig, 'localDataCenter' | 'replicationFactor'>,
  schema: readonly string[],
): Promise<void> {
  await applyDdl(client, `create keyspace if not exists ${keyspace} with replication = ${replicationOf(cfg)}`);
  await client.execute(`use ${keyspace}`);
  for (const statement of schema) await applyDdl(client, statement);
}

/**
 * drops a generation nobody reads any more: its keyspace, or, for the first generation, its tables
 * (the configured keyspace keeps the generation row)
 */
export async function dropGeneration(client: Client, base: string, keyspace: string, schema: readonly string[]): Promise<void> {
  if (keyspace !== base) {
    await applyDdl(client, `drop keyspace if exists ${keyspace}`);
    return;
  }
  for (const statement of schema) {
    const table = /^\s*create\s+table\s+if\s+not\s+exists\s+(\w+)/i.exec(statement)?.[1];
    if (table) await applyDdl(client, `drop table if exists ${base}.${table}`);
  }
}

/**
 * the keyspace queries name their tables in: `${await keyspace.current()}.series_facts`. read at
 * quorum, then kept GENERATION_TTL_MS (a monotonic clock): a write that starts later than that after
 * a switch goes to the new generation, which is what a rebuild waits for before its last catch-up
 */
@Injectable()
export class CassandraKeyspace {
  private cached?: { keyspace: string; at: number };
  private readonly pinned = new AsyncLocalStorage<string>();

  constructor(
    @Inject(CASSANDRA) private readonly client: Client,
    @Inject(CASSANDRA_BASE_KEYSPACE) readonly base: string,
  ) {}

  async current(): Promise<string> {
    const pinned = this.pinned.getStore();
    if (pinned) return pinned;
    const now = performance.now();
    if (this.cached && now - this.cached.at < GENERATION_TTL_MS) return this.cached.keyspace;
    const keyspace = await readGeneration(this.client, this.base);
    this.cached = { keyspace, at: now };
    return keyspace;
  }

  /** runs fn with `current()` answering `keyspace` all through it, whatever a rebuild switches meanwhile */
  pin<T>(keyspace: string, fn: () => T): T {
    return this.pinned.run(keyspace, fn);
  }
}

/**
 * one generation for all of a request: a report reads the facts and stores the rollups it computed
 * from them. without it, a request running across a switch could store a rollup computed from the old
 * generation's facts into the new one (@UseInterceptors on the controllers that read)
 */
@Injectable()
export class OneGenerationPerRequest implements NestInterceptor {
  constructor(private readonly keyspace: CassandraKeyspace) {}

  intercept(_context: unknown, next: CallHandler): Observable<unknown> {
    return new Observable((subscriber) => {
      let inner: { unsubscribe(): void } | undefined;
      this.keyspace.current().then(
        // nest binds the handler to the async context handle() is called in: call it inside the pin
        (keyspace) => (inner = this.keyspace.pin(keyspace, () => next.handle().subscribe(subscriber))),
        (e: unknown) => subscriber.error(e),
      );
      return () => inner?.unsubscribe();
    });
  }
}
