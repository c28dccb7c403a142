import type { OpenAPIObject } from '@nestjs/swagger';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { ReadinessCheck } from '@ecom/health';
import { Metrics, serveMetrics } from '@ecom/observability';
import { serveOpenApi } from './openapi';

const servers = new WeakMap<NestFastifyApplication, FastifyInstance>();

/**
 * the service's second listener, for operators and Prometheus only (MANAGEMENT_HOST:MANAGEMENT_PORT):
 * /metrics, /docs, /docs-json, /docs-yaml, /health/live and /health/ready with every check's details.
 * a plain fastify instance beside the nest app, sharing its metrics registry, readiness checks and
 * OpenAPI document; no route of the app is reachable through it, nor it through the public port.
 */
export function createManagementServer(app: NestFastifyApplication, document: () => OpenAPIObject): FastifyInstance {
  const adapter = new FastifyAdapter({ logger: false, return503OnClosing: true, forceCloseConnections: 'idle' });
  // (cast: nest types its instance over a raw request type of its own; it is an ordinary fastify instance)
  const server = adapter.getInstance() as unknown as FastifyInstance;
  const readiness = app.get(ReadinessCheck);
  serveMetrics(server, app.get(Metrics));
  server.get('/health/live', async (_request, reply) => {
    void reply.header('cache-control', 'no-store');
    return { status: 'ok' };
  });
  server.get('/health/ready', async (_request, reply) => {
    const { ready, result } = await readiness.run();
    void reply.code(ready ? 200 : 503).header('cache-control', 'no-store');
    return result;
  });
  serveOpenApi(adapter, document);
  servers.set(app, server);
  return server;
}

/** the management listener of an app made by createServiceApp: tests inject() into it, bootstrapService listens */
export function managementServer(app: NestFastifyApplication): FastifyInstance {
  const server = servers.get(app);
  if (!server) throw new Error('this app has no management server: make it with createServiceApp');
  return server;
}

/** closes the management listener of an app, if it has one */
export async function closeManagementServer(app: NestFastifyApplication): Promise<void> {
  await servers.get(app)?.close();
}
