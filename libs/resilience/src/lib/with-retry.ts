import { Logger } from '@nestjs/common';

/**
 * start-up against a store that may still be booting (a fresh stack, a pod restart): try for a
 * while, then fail with a message that names the store and where it was looked for.
 */
export async function withStartupRetry<T>(what: string, url: string, fn: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const log = new Logger('startup');
  const where = redactCredentials(url);
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      const err = e instanceof Error ? e.message : String(e);
      if (Date.now() > deadline) throw new Error(`${what} is not reachable at ${where} after ${timeoutMs / 1000}s: ${err}`);
      if (attempt === 1 || attempt % 10 === 0) log.warn({ store: what, where, attempt, err }, 'waiting for store');
      await new Promise((r) => setTimeout(r, Math.min(250 * attempt, 2_000)));
    }
  }
}

/** a url fit for logs and errors: the password (and user) of `scheme://user:pass@host` replaced */
export function redactCredentials(url: string): string {
  return url.replace(/(\w+:\/\/)[^/@\s]*@/g, '$1***@');
}
