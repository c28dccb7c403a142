import { Pool } from 'pg';

/** a pool on the benchmark's own database: the one order-service of this run uses */
export function benchPool(max: number): Pool {
  const env = process.env;
  return new Pool({
    host: env['POSTGRES_HOST'] ?? '127.0.0.1',
    port: Number(env['POSTGRES_PORT'] ?? 5432),
    user: env['POSTGRES_USER'] ?? 'ecom',
    password: env['POSTGRES_PASSWORD'] ?? 'ecom',
    database: env['POSTGRES_DB'],
    max,
  });
}
