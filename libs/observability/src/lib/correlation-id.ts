import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { CORRELATION_HEADER } from './constants';

// the header comes from outside: accept only a short, log-safe token
const SAFE_ID = /^[\w.:-]{1,128}$/;
const ASSIGNED = Symbol('correlationId');

type RawRequest = IncomingMessage & { id?: unknown; [ASSIGNED]?: string };

/**
 * the correlation id of a raw request: its x-correlation-id header when sane, else a new uuid.
 * the answer is remembered on the request and copied to req.id (what pino-http and fastify
 * call the request id), so whichever of them asks first, all agree.
 * pass it as FastifyAdapter's genReqId: @fastify/middie otherwise sets req.id to fastify's
 * own "req-1" counter before any middleware runs.
 */
export function correlationIdOf(req: RawRequest): string {
  let id = req[ASSIGNED];
  if (id === undefined) {
    const header = req.headers[CORRELATION_HEADER];
    const candidate = Array.isArray(header) ? header[0] : header;
    id = candidate !== undefined && SAFE_ID.test(candidate) ? candidate : randomUUID();
    req[ASSIGNED] = id;
  }
  req.id = id;
  return id;
}
