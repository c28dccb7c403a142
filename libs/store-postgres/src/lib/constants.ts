/**
 * name of the postgres advisory lock held while migrations run; the lock key is derived from it
 * (advisoryLockKey), so renaming it lets two versions migrate at once during a rollout: don't.
 * advisory locks are per database, so services on one server with their own databases never wait
 * on each other.
 */
export const MIGRATION_LOCK_NAME = 'ecom:typeorm-migrations';
