import type { Logger } from 'pino';
import { currentCorrelationId } from './correlation';

/**
 * pino mixin: stamps the current correlation id on every line, so logs from kafka
 * handlers carry it as well as logs from http requests.
 */
export function correlationMixin(_merge: object, _level: number, logger: Logger): object {
  const correlationId = currentCorrelationId();
  if (correlationId === undefined) return {};
  // a child logger that binds it already must not get a second copy of the key.
  // bindings() rather than pino's chindings symbol: pino-http ships its own pino copy.
  return 'correlationId' in logger.bindings() ? {} : { correlationId };
}
