import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { CORRELATION_HEADER } from './constants';

// the header comes from outside: accept only a short, log-safe token
const SAFE_ID = /^[\w.:-]{1,128}$/;
const ASSIGNED = Symbol('correlationId');
const REQUEST_ID_HEADER = 'x-request-id';

type RawRequest = IncomingMessage & { id?: unknown; [ASSIGNED]?: string };

/**
 * the correlation id of a raw request: its x-correlation-id header (else x-request-id, as
 * ingress-nginx sets it) when sane, else a new uuid.
 * the answer is remembered on the request and copied to req.id (what pino-http and fastify
 * call the request id), so whichever of them asks first, all agree.
 * pass it as FastifyAdapter's genReqId: @fastify/middie otherwise sets req.id to fastify's
 * own "req-1" counter before any middleware runs.
 */
export function correlationIdOf(req: RawRequest): string {
  let id = req[ASSIGNED];
  if (id === undefined) {
    // ingress-nginx sends x-request-id rather than our header: take it when ours is absent
    const candidate = [req.headers[CORRELATION_HEADER], req.headers[REQUEST_ID_HEADER]]
      .map((h) => (Array.isArray(h) ? h[0] : h))
      .find((h): h is string => h !== undefined);
    id = candidate !== undefined && SAFE_ID.test(candidate) ? candidate : randomUUID();
    req[ASSIGNED] = id;
  }
  req.id = id;
  return id;
}
