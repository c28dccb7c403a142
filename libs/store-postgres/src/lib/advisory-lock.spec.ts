import { MIGRATION_LOCK_NAME } from './constants';
import { advisoryLockKey } from './advisory-lock';

describe('advisoryLockKey', () => {
  it('stays the same across releases, so old and new replicas wait on one lock during a rollout', () => {
    expect(advisoryLockKey(MIGRATION_LOCK_NAME)).toBe('-1485579369482322199');
  });

  it('fits a postgres bigint and differs by name', () => {
    const key = BigInt(advisoryLockKey('another lock'));
    expect(key >= -(2n ** 63n) && key < 2n ** 63n).toBe(true);
    expect(advisoryLockKey('another lock')).not.toBe(advisoryLockKey(MIGRATION_LOCK_NAME));
  });
});
