import { trace } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { currentCorrelationId } from './correlation';

/**
 * pino mixin: stamps the current correlation id on every line, so logs from kafka handlers carry it
 * as well as logs from http requests, and the trace and span ids of the active span (a request's,
 * an event handler's), so a log line leads to its trace.
 */
export function correlationMixin(_merge: object, _level: number, logger: Logger): object {
  const span = trace.getActiveSpan()?.spanContext();
  const ids = span && trace.isSpanContextValid(span) ? { traceId: span.traceId, spanId: span.spanId } : {};
  const correlationId = currentCorrelationId();
  // a child logger that binds it already must not get a second copy of the key.
  // bindings() rather than pino's chindings symbol: pino-http ships its own pino copy.
  if (correlationId === undefined || 'correlationId' in logger.bindings()) return ids;
  return { ...ids, correlationId };
}
