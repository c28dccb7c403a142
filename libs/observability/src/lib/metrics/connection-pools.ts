import { Gauge, type Registry } from 'prom-client';

export interface PoolUsage {
  /** connections serving a request */
  readonly used?: number;
  /** open connections waiting for one */
  readonly idle?: number;
  /** the pool's configured maximum; left out where the client has no such limit */
  readonly max?: number;
  /** requests waiting for a connection (for clients without a pool: requests queued on their connection) */
  readonly pending?: number;
}

/**
 * the db.client.connection.* metrics of the OpenTelemetry conventions, for every store client of
 * the service: each store library registers a reader of its client's pool, read in memory at scrape time
 */
export class ConnectionPools {
  private readonly readers = new Map<string, () => PoolUsage>();

  constructor(registry: Registry) {
    const readers = this.readers;
    const labelNames = ['db_system_name'] as const;
    new Gauge({
      name: 'db_client_connection_count',
      help: "connections of a store client's pool, by state (used, idle)",
      labelNames: [...labelNames, 'state'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [db, read] of readers) {
          const usage = read();
          if (usage.used !== undefined) this.set({ db_system_name: db, state: 'used' }, usage.used);
          if (usage.idle !== undefined) this.set({ db_system_name: db, state: 'idle' }, usage.idle);
        }
      },
    });
    new Gauge({
      name: 'db_client_connection_max',
      help: "the most connections a store client's pool opens",
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        for (const [db, read] of readers) {
          const { max } = read();
          if (max !== undefined) this.set({ db_system_name: db }, max);
        }
      },
    });
    new Gauge({
      name: 'db_client_connection_pending_requests',
      help: 'requests waiting for a connection of a store client',
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        for (const [db, read] of readers) {
          const { pending } = read();
          if (pending !== undefined) this.set({ db_system_name: db }, pending);
        }
      },
    });
  }

  /** db is the OpenTelemetry db.system.name: postgresql, mongodb, redis, cassandra */
  register(db: string, read: () => PoolUsage): void {
    this.readers.set(db, read);
  }
}
