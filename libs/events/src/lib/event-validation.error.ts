import type { z } from 'zod';

/** a message that can never be processed as it is: the consumer dead-letters it at once */
export class EventValidationError extends Error {
  constructor(
    message: string,
    readonly issues: readonly string[],
  ) {
    super(`${message}: ${issues.join('; ')}`);
    this.name = 'EventValidationError';
  }
}

export function issuesOf(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string[] {
  return error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
}

/** parses with a schema, or throws EventValidationError with every issue */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, message: string): z.output<S> {
  const res = schema.safeParse(value);
  if (!res.success) throw new EventValidationError(message, issuesOf(res.error));
  return res.data;
}
