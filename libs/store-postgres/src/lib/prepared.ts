import type * as pg from 'pg';
import { DataSource, type EntityManager } from 'typeorm';

/**
 * a statement of a hot path, sent as a named prepared statement: postgres parses and plans it once
 * per connection instead of on every call. for a statement of several CTEs that is most of what the
 * server spends on it (docs/performance.md, change 31). the name must be unique in the process, and
 * the text must not change while the service runs.
 *
 * a schema change needs no restart: postgres re-plans a prepared statement whose tables changed. it
 * refuses one whose result columns changed ("cached plan must not change result type"), so a
 * prepared statement names the columns it returns rather than `returning *`.
 */
export class PreparedStatement {
  private static readonly names = new Set<string>();

  constructor(
    readonly name: string,
    readonly text: string,
  ) {
    if (PreparedStatement.names.has(name)) throw new Error(`a prepared statement named ${name} exists already`);
    PreparedStatement.names.add(name);
  }

  /**
   * runs it with these values, on a connection of the data source's pool, or on the connection of
   * the transaction `on` belongs to; answers its rows. errors are the driver's own (isTransient knows them)
   */
  async run<R>(on: DataSource | EntityManager, values: readonly unknown[]): Promise<R[]> {
    const config: pg.QueryConfig = { name: this.name, text: this.text, values: [...values] };
    const result = await queryable(on).query(config);
    return result.rows as R[];
  }
}

/** a transaction's connection (its runner's pg client), else the pool (typeorm's driver keeps it as `master`) */
function queryable(on: DataSource | EntityManager): { query(config: pg.QueryConfig): Promise<pg.QueryResult> } {
  const runner = on instanceof DataSource ? undefined : on.queryRunner;
  if (runner && runner.isTransactionActive && !runner.isReleased) {
    return (runner as unknown as { databaseConnection: pg.PoolClient }).databaseConnection;
  }
  const dataSource = on instanceof DataSource ? on : on.connection;
  return (dataSource.driver as unknown as { master: pg.Pool }).master;
}
