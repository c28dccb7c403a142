import type { Consumer } from 'kafkajs';

export interface StartOptions {
  /** true once the service shuts down: stop trying */
  readonly stopping: () => boolean;
  /** reports a failed attempt and lets go of what it left behind (a half-connected consumer) */
  readonly failed: (attempt: number, error: Error) => Promise<void>;
}

/**
 * runs start() until it succeeds or the service stops, waiting 0.5 s more after each failure
 * (at most 5 s): kafka may still be starting, or away for a while
 */
export async function startWithRetry(start: () => Promise<void>, { stopping, failed }: StartOptions): Promise<void> {
  for (let attempt = 1; !stopping(); attempt++) {
    try {
      await start();
      return;
    } catch (e) {
      await failed(attempt, e as Error);
      await new Promise((r) => setTimeout(r, Math.min(500 * attempt, 5_000)));
    }
  }
}

/**
 * kafkajs gives up for good on some errors (a group coordinator that stays away while the broker is
 * down is one): it emits CRASH with restart=false and the consumer never consumes again, silently.
 * calls abandoned(error) for such a crash while `wanted()` still says the consumer should run; the
 * crashes kafkajs recovers from by itself are left to it.
 */
export function whenAbandoned(consumer: Consumer, wanted: () => boolean, abandoned: (error: Error) => void): void {
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (!payload.restart && wanted()) abandoned(payload.error);
  });
}
