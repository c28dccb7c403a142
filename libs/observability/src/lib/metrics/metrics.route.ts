import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import type { Metrics } from './metrics';

export const METRICS_PATH = '/metrics';

/**
 * the prometheus scrape endpoint, on a plain fastify instance: the service's management listener
 * (libs/bootstrap), never the public one, which anyone who reaches the service can call
 */
export function serveMetrics(server: FastifyInstance, metrics: Metrics): void {
  server.get(METRICS_PATH, async (_request, reply) => {
    void reply.header('content-type', Registry.PROMETHEUS_CONTENT_TYPE).header('cache-control', 'no-store');
    return metrics.registry.metrics();
  });
}
