import type { FastifyInstance } from 'fastify';

/**
 * every answer is Cache-Control: no-store unless its route says otherwise (@Header('Cache-Control',
 * ...)). the services answer personal data (accounts, tokens, orders, notifications, reports), and
 * a header the service sends holds behind any proxy, the ingress included, which cannot tell routes
 * apart. a route whose answer may be cached opts in with its own header.
 */
export function noStoreByDefault(fastify: FastifyInstance): void {
  fastify.addHook('onSend', async (_request, reply, payload) => {
    if (!reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
    return payload;
  });
}
