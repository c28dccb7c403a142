import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { PostgresConfig } from '@ecom/config';

/** a throwaway database on the real server, so each test run starts from an empty schema */
export async function createTempDatabase(cfg: Omit<PostgresConfig, 'database'>, prefix = 'it') {
  const database = `${prefix}_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ host: cfg.host, port: cfg.port, user: cfg.username, password: cfg.password, database: 'postgres' });
  await admin.connect();
  try {
    await admin.query(`create database "${database}"`);
  } finally {
    await admin.end();
  }
  return {
    database,
    async drop(): Promise<void> {
      const c = new Client({ host: cfg.host, port: cfg.port, user: cfg.username, password: cfg.password, database: 'postgres' });
      await c.connect();
      try {
        await c.query(`drop database if exists "${database}" with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}
