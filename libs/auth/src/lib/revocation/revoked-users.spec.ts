import { MAX_TOKEN_LIFETIME_SECONDS } from '@ecom/config';
import { RevokedUsers } from './revoked-users';

describe('RevokedUsers', () => {
  const hour = MAX_TOKEN_LIFETIME_SECONDS * 1_000;

  it('revokes a user from the event on, and tells listeners once', () => {
    let now = 1_000_000_000_000;
    const revoked = new RevokedUsers(() => now);
    const seen: string[] = [];
    revoked.onRevoked((id) => seen.push(id));
    expect(revoked.isRevoked('u-1')).toBe(false);
    revoked.revoke('u-1', now - 1_000);
    revoked.revoke('u-1', now); // the same deletion read again (a replay, a second instance)
    expect(revoked.isRevoked('u-1')).toBe(true);
    expect(revoked.isRevoked('u-2')).toBe(false);
    expect(seen).toEqual(['u-1']);
    now += 10_000;
    expect(revoked.isRevoked('u-1')).toBe(true);
  });

  it('ignores deletions older than any token could be, and forgets entries once their tokens expired', () => {
    let now = 1_000_000_000_000;
    const revoked = new RevokedUsers(() => now);
    revoked.revoke('old', now - 2 * hour);
    expect(revoked.isRevoked('old')).toBe(false);
    revoked.revoke('u-1', now);
    now += 2 * hour;
    revoked.revoke('u-2', now);
    expect(revoked.isRevoked('u-1')).toBe(false);
    expect(revoked.isRevoked('u-2')).toBe(true);
    expect(revoked.size).toBe(1);
  });
});
