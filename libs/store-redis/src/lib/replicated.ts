import type { Redis } from 'ioredis';
import { StoreUnavailable } from '@ecom/resilience';

export interface ReplicaWait {
  /** replicas that must have a write before it counts; 0: none asked (one node, the local stack) */
  readonly replicas: number;
  readonly timeoutMs: number;
}

/**
 * waits until `replicas` replicas have every write this connection sent so far (WAIT), so a failover to
 * one of them cannot lose it. StoreUnavailable when fewer have it within the timeout: the caller retries
 * (its writes are idempotent) instead of acknowledging what the primary alone holds. Redis replicates
 * asynchronously; without this, a write acknowledged in the last moments before a failover can be lost
 */
export async function confirmReplicated(redis: Redis, { replicas, timeoutMs }: ReplicaWait): Promise<void> {
  if (replicas <= 0) return;
  const acknowledged = await redis.wait(replicas, timeoutMs);
  if (acknowledged < replicas)
    throw new StoreUnavailable('redis', {
      cause: new Error(`${acknowledged} of ${replicas} replicas had the write after ${timeoutMs} ms`),
    });
}
