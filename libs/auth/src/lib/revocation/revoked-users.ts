import { MAX_TOKEN_LIFETIME_SECONDS } from '@ecom/config';
import { CLOCK_TOLERANCE_SECONDS } from '../constants';

// a token issued before the revocation has expired by then, so the entry can go
const KEEP_MS = (MAX_TOKEN_LIFETIME_SECONDS + CLOCK_TOLERANCE_SECONDS) * 1_000;

/**
 * the users whose tokens stop working at once (deleted users), held in memory by every instance
 * and fed by UserDeletionsFeed. a lookup is one map read on the request path; an entry lives
 * only as long as a token issued before it could, so the map holds at most one token lifetime
 * of deletions.
 */
export class RevokedUsers {
  private readonly revokedAt = new Map<string, number>();
  private readonly listeners = new Set<(userId: string) => void>();

  constructor(private readonly now: () => number = Date.now) {}

  /** from `at` (ms since the epoch) on, no token of this user is honoured; older events are ignored */
  revoke(userId: string, at: number): void {
    if (at + KEEP_MS <= this.now()) return;
    const known = this.revokedAt.has(userId);
    this.revokedAt.set(userId, Math.max(at, this.revokedAt.get(userId) ?? 0));
    this.prune();
    if (!known) for (const listener of this.listeners) listener(userId);
  }

  /** calls the listener with each newly revoked user, e.g. to end what the user has open */
  onRevoked(listener: (userId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  isRevoked(userId: string): boolean {
    return this.revokedAt.has(userId);
  }

  get size(): number {
    return this.revokedAt.size;
  }

  private prune(): void {
    const cutoff = this.now() - KEEP_MS;
    // insertion order is (nearly) revocation order, so the expired entries come first
    for (const [userId, at] of this.revokedAt) {
      if (at > cutoff) break;
      this.revokedAt.delete(userId);
    }
  }
}
