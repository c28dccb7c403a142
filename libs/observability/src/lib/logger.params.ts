import { hostname } from 'node:os';
import type { IncomingMessage } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import { stdSerializers, type DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import type { ServiceConfig } from '@ecom/config';
import { QUIET_PATH_PREFIXES, REDACTED_PATHS } from './constants';
import { correlationIdOf } from './correlation-id';
import { correlationMixin } from './log-mixin';
import { redactUrl } from './redact-url';

/**
 * the level of a request's completion line. a read that succeeded is the common case on the hot
 * path and says nothing the metrics (counts, latency by route and status) do not: debug, so it costs
 * nothing at the default level. writes (who changed what), client errors and failures stay at info
 * and error. LOG_LEVEL=debug logs every request again.
 */
export function requestLogLevel(req: IncomingMessage, res: { statusCode: number }, err?: Error): 'debug' | 'info' | 'error' {
  if (err || res.statusCode >= 500) return 'error';
  if (res.statusCode < 400 && (req.method === 'GET' || req.method === 'HEAD')) return 'debug';
  return 'info';
}

function isQuiet(req: IncomingMessage & { originalUrl?: string }): boolean {
  const url = req.originalUrl ?? req.url ?? '';
  return QUIET_PATH_PREFIXES.some((prefix) => url.startsWith(prefix));
}

/** nestjs-pino settings for one service: json lines, one correlation id per request */
export function loggerParams(service: ServiceConfig, destination?: DestinationStream): Params {
  const options: Options = {
    level: service.logLevel,
    base: { service: service.name, pid: process.pid, hostname: hostname() },
    redact: [...REDACTED_PATHS],
    serializers: {
      req: stdSerializers.wrapRequestSerializer((req) => {
        req.url = redactUrl(req.url);
        return req;
      }),
    },
    mixin: correlationMixin,
    genReqId: (req) => correlationIdOf(req),
    // request loggers carry only the id; the full req/res goes on the completion line
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'correlationId' },
    autoLogging: { ignore: isQuiet },
    customLogLevel: requestLogLevel,
  };
  return {
    pinoHttp: destination === undefined ? options : [options, destination],
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
  };
}
