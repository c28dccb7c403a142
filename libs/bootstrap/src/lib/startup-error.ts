import { ConfigValidationError } from '@ecom/config';

/**
 * the one stderr message for a service that cannot start. bad config is the operator's
 * to fix, so it gets the list of variables and no stack; anything else is a bug and keeps it.
 */
export function describeStartupError(name: string, error: unknown): string {
  if (error instanceof ConfigValidationError) return `${name}: ${error.message}`;
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return `${name}: failed to start: ${detail}`;
}
