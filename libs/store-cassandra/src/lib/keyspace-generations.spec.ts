import { AsyncResource } from 'node:async_hooks';
import type { Client } from 'cassandra-driver';
import { defer, from, lastValueFrom } from 'rxjs';
import { CassandraKeyspace, dropGeneration, GENERATION_TTL_MS, generationName, OneGenerationPerRequest } from './keyspace-generations';

describe('generationName', () => {
  it('names a keyspace after the configured one and the time, within cassandra’s 48 characters', () => {
    expect(generationName('analytics', new Date('2026-12-01T21:30:05.123Z'))).toBe('analytics_r20261201213005');
    const long = generationName('a'.repeat(48), new Date('2026-12-01T21:30:05Z'));
    expect(long).toHaveLength(48);
    expect(long).toMatch(/^[a-z][a-z0-9_]*$/);
  });
});

describe('dropGeneration', () => {
  const client = () => {
    const statements: string[] = [];
    const c = {
      execute: async (q: string) => void statements.push(q.replace(/\s+/g, ' ').trim()),
      metadata: { checkSchemaAgreement: async () => true },
    };
    return { c: c as unknown as Client, statements };
  };
  const schema = ['create table if not exists facts (id int primary key)', 'create table if not exists rollups (id int primary key)'];

  it('drops a later generation’s keyspace', async () => {
    const { c, statements } = client();
    await dropGeneration(c, 'analytics', 'analytics_r20261201213005', schema);
    expect(statements).toEqual(['drop keyspace if exists analytics_r20261201213005']);
  });

  it('drops only the tables of the first generation: the configured keyspace keeps the generation row', async () => {
    const { c, statements } = client();
    await dropGeneration(c, 'analytics', 'analytics', schema);
    expect(statements).toEqual(['drop table if exists analytics.facts', 'drop table if exists analytics.rollups']);
  });
});

describe('one generation per request', () => {
  // the generation row says `row.generation`; every read of it is counted
  const setup = () => {
    const row = { generation: 'analytics', reads: 0 };
    const client = {
      execute: async () => {
        row.reads++;
        return { first: () => ({ generation: row.generation }) };
      },
    } as unknown as Client;
    return { row, keyspace: new CassandraKeyspace(client, 'analytics') };
  };
  // the clock the cached generation ages by: moved past GENERATION_TTL_MS where the row changes
  let clock = 0;
  beforeEach(() => jest.spyOn(performance, 'now').mockImplementation(() => clock));
  afterEach(() => jest.restoreAllMocks());

  it('answers the pinned generation all through a pinned call, without reading the row again', async () => {
    const { row, keyspace } = setup();
    const seen = await keyspace.pin('analytics_r1', async () => {
      await new Promise((r) => setTimeout(r, 5));
      row.generation = 'analytics_r2';
      clock += GENERATION_TTL_MS;
      return [await keyspace.current(), await Promise.resolve().then(() => keyspace.current())];
    });
    expect(seen).toEqual(['analytics_r1', 'analytics_r1']);
    expect(row.reads).toBe(0);
    expect(await keyspace.current()).toBe('analytics_r2');
  });

  it('pins the generation current when a request starts for its whole handler, as nest runs it', async () => {
    const { row, keyspace } = setup();
    // nest's handle(): the handler runs on subscription, bound to the async context handle() was called in
    const handle = () =>
      defer(
        AsyncResource.bind(() =>
          from(
            (async () => {
              const first = await keyspace.current();
              row.generation = 'analytics_r9';
              clock += GENERATION_TTL_MS;
              await new Promise((r) => setTimeout(r, 5));
              return [first, await keyspace.current()];
            })(),
          ),
        ),
      );
    const seen = await lastValueFrom(new OneGenerationPerRequest(keyspace).intercept({}, { handle }));
    expect(seen).toEqual(['analytics', 'analytics']);
    expect(row.reads).toBe(1);
    // and outside the request, the row is read again once the cached one is old
    expect(await keyspace.current()).toBe('analytics_r9');
  });
});
