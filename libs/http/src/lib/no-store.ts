import type { FastifyInstance } from 'fastify';

/**
 * every answer is Cache-Control: no-store unless its route says otherwise (@Header('Cache-Control',
 * ...)). the services answer personal data (accounts, tokens, orders, notifications, reports), and
 * a header the service sends holds behind any proxy, the ingress included, which cannot tell routes
 * apart. a route whose answer may be cached opts in with its own header. a callback hook, not an
 * async one: it runs on every answer, and a promise per answer is measurable on the hot read.
 */
export function noStoreByDefault(fastify: FastifyInstance): void {
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (!reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
    done(null, payload);
  });
}
