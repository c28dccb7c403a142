import { createHash } from 'node:crypto';
import type { QueryRunner } from 'typeorm';

/**
 * a pg advisory lock key (a signed int8, as text) from a name: the first 8 bytes of its sha-256.
 * not postgres' hashtext(), which is internal and may change between major versions.
 */
export function advisoryLockKey(name: string): string {
  return createHash('sha256').update(name).digest().readBigInt64BE(0).toString();
}

/**
 * runs fn while holding a session-level advisory lock on the runner's connection; other callers
 * wait in pg_advisory_lock. released in finally on failure, and by postgres if the process dies
 * (the session ends with its connection). fn should use the same runner, so a pool of one
 * connection cannot deadlock.
 */
export async function withAdvisoryLock<T>(runner: QueryRunner, key: string, fn: () => Promise<T>, onWait?: () => void): Promise<T> {
  const [{ locked }] = await runner.query('select pg_try_advisory_lock($1::bigint) as locked', [key]);
  if (!locked) {
    onWait?.();
    await runner.query('select pg_advisory_lock($1::bigint)', [key]);
  }
  try {
    return await fn();
  } finally {
    await runner.query('select pg_advisory_unlock($1::bigint)', [key]);
  }
}
