import { Client as CassandraClient } from 'cassandra-driver';
import { Redis } from 'ioredis';
import * as mongo from 'mongodb';
import { Client as PgClient } from 'pg';

// the backup round trip's clients of its scratch stack: every server on 127.0.0.1, on the ports it was given

export interface Ports {
  postgres: number;
  redis: number;
  cassandra: number;
  elasticsearch: number;
  mongodb: number;
}

export const pgClient = async (ports: Ports, database: string) => {
  const client = new PgClient({ host: '127.0.0.1', port: ports.postgres, user: 'ecom', password: 'ecom', database });
  await client.connect();
  return client;
};
export const cassandraClient = (ports: Ports) =>
  new CassandraClient({ contactPoints: [`127.0.0.1:${ports.cassandra}`], localDataCenter: 'datacenter1' });
export const mongoClient = (ports: Ports) => new mongo.MongoClient(`mongodb://127.0.0.1:${ports.mongodb}`, { directConnection: true });
export const redisClient = (ports: Ports, db: number) => new Redis({ host: '127.0.0.1', port: ports.redis, db, maxRetriesPerRequest: 2 });
interface EsAnswer {
  errors?: boolean;
  count?: number;
  hits?: { hits: { _id: string; _source: unknown }[] };
}
export async function es<T = EsAnswer>(ports: Ports, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${ports.elasticsearch}${path}`, {
    method,
    // a string is a _bulk body
    headers: { 'content-type': typeof body === 'string' ? 'application/x-ndjson' : 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const json = (await res.json()) as T & { errors?: boolean };
  if (!res.ok || json.errors) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
  return json;
}
