import type { Env } from './define-config';

/** the one place in the codebase that reads the process environment */
export function readEnv(): Env {
  return { ...process.env };
}
