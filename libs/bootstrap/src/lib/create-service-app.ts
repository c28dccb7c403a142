import { BadRequestException, ValidationPipe } from '@nestjs/common';
import {
  fieldErrors,
  frameworkProblem,
  MAX_JSON_DEPTH,
  nestsDeeperThan,
  parseJsonAsUtf8,
  ProblemDetailsFilter,
  unsafeTextIn,
  noStoreByDefault,
  ValidationProblem,
} from '@ecom/http';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { fastifyTrustProxy, readEnv, type ConfigPiece, type Env } from '@ecom/config';
import { correlateRequests, correlationIdOf, instrumentHttp, logRequests, type ObservabilityOptions } from '@ecom/observability';
import { serveDirectRoutes } from './direct-routes';
import { createManagementServer } from './management';
import { answerMethodNotAllowed } from './method-not-allowed';
import { openApiDocument } from './openapi';
import { loadServiceConfig } from './service-config';
import { ServiceModule } from './service.module';
import type { ServiceConfigValues, ServiceOptions } from './service-options';

export interface CreateAppOptions<P extends readonly ConfigPiece[]> extends ObservabilityOptions {
  /** already-loaded config; otherwise loaded from env */
  readonly config?: ServiceConfigValues<P>;
  /** the variables to load config from; the process environment when omitted */
  readonly env?: Env;
}

/**
 * the whole service, initialised but not listening: what tests inject() into. its management listener
 * (metrics, docs, readiness details) is managementServer(app), not listening either
 */
export async function createServiceApp<const P extends readonly ConfigPiece[]>(
  opts: ServiceOptions<P>,
  create: CreateAppOptions<P> = {},
): Promise<NestFastifyApplication> {
  const config = create.config ?? loadServiceConfig(opts, create.env ?? readEnv());
  const root = ServiceModule.forRoot(opts.module, config, { logDestination: create.logDestination }, opts.readiness);
  // the fastify request id is the correlation id, so fastify, pino-http and our context agree
  const adapter = new FastifyAdapter({
    genReqId: correlationIdOf,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // the client ip behind the gateway or the ingress: HTTP_TRUST_PROXY, addresses or a hop count
    trustProxy: fastifyTrustProxy(config.http.trustProxy),
    // errors fastify raises before routing answer in the same shape as ours
    // (cast: the option's type is generic over every server flavour; ours is plain http)
    frameworkErrors: frameworkProblem as never,
  });
  // every request under its correlation id, from the first hook on
  correlateRequests(adapter.getInstance());
  // bytes that are not UTF-8 would be stored as U+FFFD; refuse them before parsing
  parseJsonAsUtf8(adapter.getInstance());
  // before validation, for every route: a body nested thousands deep overflows the validators'
  // stack (a 500), and a control character or half a surrogate pair has no place in any text field
  adapter.getInstance().addHook('preValidation', (request, _reply, done) => {
    if (request.body === undefined) return done();
    if (nestsDeeperThan(request.body, MAX_JSON_DEPTH))
      return done(new BadRequestException(`the JSON body nests deeper than ${MAX_JSON_DEPTH} levels`));
    const unsafe = unsafeTextIn(request.body);
    done(unsafe ? new BadRequestException(`the JSON body is not plain text: ${unsafe}`) : undefined);
  });
  // a known path asked with another method: 405 with Allow, not 404
  answerMethodNotAllowed(adapter.getInstance());
  // personal data is never stored by a browser or a shared cache, whatever proxy is in front
  noStoreByDefault(adapter.getInstance());
  // abortOnError: false so a failing provider reaches our error handler instead of process.abort()
  // bodyParser: false keeps the JSON parser above (nest would add its own) and drops form bodies, which no route takes
  const app = await NestFactory.create<NestFastifyApplication>(root, adapter, { bufferLogs: true, abortOnError: false, bodyParser: false });
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      // every bad field listed, in the problem+json body
      exceptionFactory: (errors) => new ValidationProblem(fieldErrors(errors)),
    }),
  );
  const problems = new ProblemDetailsFilter();
  app.useGlobalFilters(problems);
  instrumentHttp(app);
  await logRequests(app);
  // @DirectRoute() methods answered by fastify, past nest's router; checked once nest has registered the routes
  const directRoutesServed = serveDirectRoutes(app, problems);
  await app.init();
  directRoutesServed();
  // the message handlers, served through nest's pipeline by the service's transport (kafka's startEventConsumers)
  await opts.messages?.(app);
  createManagementServer(app, openApiDocument(app, opts.name, opts.openapi));
  return app;
}
