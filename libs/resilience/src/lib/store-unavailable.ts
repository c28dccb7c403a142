import { STORE_RETRY_AFTER_SECONDS } from './constants';

/**
 * a dependency is down or overloaded: the caller should come back later. thrown by code that
 * knows it (a failed health probe, a driver that gave up); over http it is a 503 with Retry-After.
 */
export class StoreUnavailable extends Error {
  override readonly name = 'StoreUnavailable';
  readonly retryAfterSeconds: number;

  constructor(
    readonly store: string,
    options: { cause?: unknown; retryAfterSeconds?: number } = {},
  ) {
    super(`${store} is unavailable`, { cause: options.cause });
    this.retryAfterSeconds = options.retryAfterSeconds ?? STORE_RETRY_AFTER_SECONDS;
  }
}
