import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { PinoLogger } from 'nestjs-pino';
import { correlationIdOf } from './correlation-id';
import { isQuietPath, requestLogLevel } from './logger.params';

/**
 * one completion line per request ("request completed", with req, res and responseTime), from a
 * fastify hook at the level requestLogLevel gives it. at the default level a successful read costs
 * nothing: no logger is made per request (pino-http made two, serialising and redacting the request
 * each time, whether the line was written or not), and lines logged while handling a request get
 * their correlation id from the log mixin. call it before app.init(): fastify binds hooks to routes
 * when they are registered.
 */
export async function logRequests(app: NestFastifyApplication): Promise<void> {
  // outside a request, nestjs-pino's logger is the root one (loggerParams binds none per request)
  const log = (await app.resolve(PinoLogger)).logger;
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onResponse', (request, reply, done) => {
      const level = requestLogLevel(request.raw, reply);
      if (log.isLevelEnabled(level) && !isQuietPath(request.url)) {
        log[level](
          { correlationId: correlationIdOf(request.raw), req: request, res: reply.raw, responseTime: Math.round(reply.elapsedTime) },
          'request completed',
        );
      }
      done();
    });
}
