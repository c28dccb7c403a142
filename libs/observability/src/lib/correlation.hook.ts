import { trace } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';
import { CORRELATION_HEADER } from './constants';
import { correlationIdOf } from './correlation-id';
import { runWithCorrelation } from './correlation';

/**
 * every request runs under its correlation id, which its response carries back. a fastify hook,
 * not a nest middleware: a middleware sends every request through @fastify/middie's engine, a
 * cost the hot read paid on each call. what the hook enters lasts through the body's reading and
 * the handler (create-service-app.spec sends a body in two packets to keep that so).
 * the request's server span (@ecom/tracing) is named by its route pattern here, as the
 * OpenTelemetry conventions name it, rather than by method alone.
 * call it before the routes are registered.
 */
export function correlateRequests(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    const route = request.routeOptions.url;
    if (route) trace.getActiveSpan()?.setAttribute('http.route', route).updateName(`${request.method} ${route}`);
    const id = correlationIdOf(request.raw);
    void reply.header(CORRELATION_HEADER, id);
    runWithCorrelation(id, done);
  });
}
