import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Metrics } from './metrics';

// unmatched urls share one label; raw paths would explode the series count
const UNMATCHED = 'unmatched';

/**
 * times every request with a fastify hook. call it before app.init() / listen():
 * fastify binds hooks to routes when they are registered.
 */
export function instrumentHttp(app: NestFastifyApplication): void {
  const metrics = app.get(Metrics);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onResponse', (request, reply, done) => {
      const route = request.routeOptions.url ?? UNMATCHED;
      metrics.httpDuration.observe(
        { http_request_method: request.method, http_route: route, http_response_status_code: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
      done();
    });
}
