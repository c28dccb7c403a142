import { DataSource } from 'typeorm';
import { loadConfig, postgresConfig, readEnv } from '@ecom/config';
import { createTempDatabase } from '@ecom/testing';
import { postgresDataSourceOptions, PreparedStatement } from '../src';

// a PreparedStatement on the real server: prepared on the connection it runs on (the pool's, or the
// transaction's), so it commits and rolls back with the transaction, and survives a schema change

describe('PreparedStatement (real postgres)', () => {
  const cfg = loadConfig([postgresConfig('postgres')], readEnv()).postgres;
  let temp: Awaited<ReturnType<typeof createTempDatabase>>;
  let dataSource: DataSource;

  const insert = new PreparedStatement('it:prepared-insert', 'insert into things (name) values ($1) returning name');
  // which statements this connection holds prepared, as postgres sees them
  const held = new PreparedStatement('it:prepared-held', 'select name from pg_prepared_statements order by name');
  const count = () => dataSource.query('select count(*)::int as n from things').then(([r]) => (r as { n: number }).n);

  beforeAll(async () => {
    temp = await createTempDatabase(cfg, 'it_prepared');
    dataSource = await new DataSource(postgresDataSourceOptions({ ...cfg, database: temp.database, poolSize: 1 }, { entities: [], migrations: [] })).initialize();
    await dataSource.query('create table things (name text not null)');
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await temp?.drop();
  });

  it('runs on the pool, answering its rows, and stays prepared on that connection', async () => {
    expect(await insert.run(dataSource, ['a'])).toEqual([{ name: 'a' }]);
    // one connection in the pool: the next call finds both statements prepared there
    const names = (await held.run<{ name: string }>(dataSource, [])).map((r) => r.name);
    expect(names).toEqual(['it:prepared-held', 'it:prepared-insert']);
  });

  it("runs on the transaction's own connection: rolled back with it, committed with it", async () => {
    const before = await count();
    await expect(
      dataSource.transaction(async (em) => {
        await insert.run(em, ['rolled back']);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await count()).toBe(before);
    await dataSource.transaction((em) => insert.run(em, ['kept']));
    expect(await count()).toBe(before + 1);
  });

  it('keeps working after the table it names changes', async () => {
    await dataSource.query('alter table things add column note text');
    expect(await insert.run(dataSource, ['after'])).toEqual([{ name: 'after' }]);
  });

  it('gives the driver its error, which names the problem', async () => {
    await expect(insert.run(dataSource, [null])).rejects.toThrow(/null value in column "name"/);
  });

  it('refuses a second statement of the same name (negative)', () => {
    expect(() => new PreparedStatement('it:prepared-insert', 'select 1')).toThrow(/it:prepared-insert exists already/);
  });
});
