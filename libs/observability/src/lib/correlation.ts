import { AsyncLocalStorage } from 'node:async_hooks';

interface CorrelationStore {
  readonly correlationId: string;
}

// one storage for the whole process: http requests and kafka handlers both run inside it
const storage = new AsyncLocalStorage<CorrelationStore>();

/** runs fn (and everything it awaits or schedules) under the given correlation id */
export function runWithCorrelation<T>(correlationId: string, fn: () => T): T {
  return storage.run({ correlationId }, fn);
}

/** the correlation id of the request or event being handled, if any */
export function currentCorrelationId(): string | undefined {
  return storage.getStore()?.correlationId;
}
