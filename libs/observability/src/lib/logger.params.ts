import { hostname } from 'node:os';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import { stdSerializers, type DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import type { ServiceConfig } from '@ecom/config';
import { QUIET_PATH_PREFIXES, REDACTED_PATHS } from './constants';
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

/** health probes and metrics scrapes: kubelet and prometheus poll them, and a line per poll drowns the rest */
export function isQuietPath(url: string): boolean {
  return QUIET_PATH_PREFIXES.some((prefix) => url.startsWith(prefix));
}

/**
 * nestjs-pino settings for one service: json lines with the level as a word, the correlation id and
 * the current trace and span ids on each (correlationMixin).
 * its request middleware (pino-http) is applied to no route: the completion lines come from
 * logRequests(), which makes no logger per request, and with no middleware at all a request
 * does not pass through @fastify/middie
 */
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
      res: stdSerializers.res,
    },
    mixin: correlationMixin,
    // "info", not 30: readable without pino-pretty, and what log backends expect
    formatters: { level: (label) => ({ level: label }) },
  };
  return {
    pinoHttp: destination === undefined ? options : [options, destination],
    forRoutes: [],
  };
}
