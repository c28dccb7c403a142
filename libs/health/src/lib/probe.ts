import type { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';

// the indicators import their drivers as types only: a service loads only the drivers it uses

type Session = ReturnType<HealthIndicatorService['check']>;
type Details = Record<string, unknown>;

/** thrown inside a probe to report down with extra details (e.g. the cluster status) */
export class DownError extends Error {
  constructor(
    message: string,
    readonly details: Details = {},
  ) {
    super(message);
  }
}

export function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  // race subscribes to work, so a late rejection of it is not left unhandled
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * runs one check: up with whatever details it returns, down with a message when it
 * throws, rejects or outlives the timeout. never throws, never hangs.
 */
export async function probe(session: Session, timeoutMs: number, check: () => Promise<Details | void>): Promise<HealthIndicatorResult> {
  try {
    const details = await withTimeout(Promise.resolve().then(check), timeoutMs);
    return session.up(details ?? {});
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return session.down({ message, ...(e instanceof DownError ? e.details : {}) });
  }
}
