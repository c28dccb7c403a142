import { Logger } from '@nestjs/common';
import { MigrationExecutor, type DataSource, type Migration } from 'typeorm';
import { MIGRATION_LOCK_NAME } from './constants';
import { advisoryLockKey, withAdvisoryLock } from './advisory-lock';

const MIGRATION_LOCK_KEY = advisoryLockKey(MIGRATION_LOCK_NAME);

/**
 * pending migrations, each in its own transaction, by one replica at a time: a replica that starts
 * while another migrates waits for the lock, then finds nothing left to run.
 */
export async function runMigrationsOnce(dataSource: DataSource): Promise<Migration[]> {
  const log = new Logger('migrations');
  const runner = dataSource.createQueryRunner();
  try {
    await runner.connect();
    const done = await withAdvisoryLock(
      runner,
      MIGRATION_LOCK_KEY,
      () => {
        // on the lock's own connection: typeorm's migrations table is created and read there too
        const executor = new MigrationExecutor(dataSource, runner);
        executor.transaction = 'each';
        return executor.executePendingMigrations();
      },
      () => log.log({ lock: MIGRATION_LOCK_NAME }, 'another replica is migrating; waiting for it'),
    );
    if (done.length) log.log({ migrations: done.map((m) => m.name) }, 'ran migrations');
    return done;
  } finally {
    await runner.release();
  }
}
