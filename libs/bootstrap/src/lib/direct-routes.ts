import { RequestMethod, type ExceptionFilter, type Type } from '@nestjs/common';
import {
  EXCEPTION_FILTERS_METADATA,
  GUARDS_METADATA,
  HEADERS_METADATA,
  HTTP_CODE_METADATA,
  INTERCEPTORS_METADATA,
  METHOD_METADATA,
  PARAMTYPES_METADATA,
  PATH_METADATA,
  PIPES_METADATA,
  REDIRECT_METADATA,
  RENDER_METADATA,
  ROUTE_ARGS_METADATA,
  SSE_METADATA,
  VERSION_METADATA,
} from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DIRECT_ROUTE_KEY, isPublicRoute } from '@ecom/http';

type Handler = (this: unknown, ...args: string[]) => unknown;

interface DirectRoute {
  /** Controller.method, for errors */
  readonly name: string;
  readonly url: string;
  readonly answer: (request: FastifyRequest, reply: FastifyReply) => void;
  served: boolean;
}

/**
 * serves the app's @DirectRoute() methods (@ecom/http) from fastify: nest registers each route as usual,
 * and fastify's onRoute hook puts the direct handler in place of nest's. call it before app.init(),
 * which registers the routes; the returned check, after it, fails if a direct route was not found.
 * throws at once for a direct route that guards, pipes or interceptors would have to see
 */
export function serveDirectRoutes(app: NestFastifyApplication, filter: ExceptionFilter): () => void {
  const routes = new Map<string, DirectRoute>();
  for (const { instance, metatype } of controllersOf(app)) {
    const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
    for (const key of Object.getOwnPropertyNames(prototype)) {
      const method = prototype[key];
      if (typeof method !== 'function' || Reflect.getMetadata(DIRECT_ROUTE_KEY, method) !== true) continue;
      const route = directRoute(instance, metatype, key, method as Handler, filter);
      routes.set(route.url, route);
    }
  }
  if (routes.size === 0) return () => undefined;
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRoute', (options) => {
      const route = routes.get(options.url);
      // fastify's own HEAD for a GET comes through here too, with the GET's options
      if (!route || !['GET', 'HEAD'].includes(String(options.method))) return;
      options.handler = route.answer as unknown as typeof options.handler;
      route.served = true;
    });
  return () => {
    const missing = [...routes.values()].filter((route) => !route.served);
    if (missing.length) throw new Error(`@DirectRoute(): nest registered no GET ${missing.map((r) => `${r.url} (${r.name})`).join(', ')}`);
  };
}

function controllersOf(app: NestFastifyApplication): { instance: object; metatype: Type }[] {
  return [...app.get(ModulesContainer).values()].flatMap((module) =>
    [...module.controllers.values()]
      .filter((wrapper) => wrapper.instance && wrapper.metatype)
      .map((wrapper) => ({ instance: wrapper.instance as object, metatype: wrapper.metatype as Type })),
  );
}

function directRoute(instance: object, controller: Type, key: string, method: Handler, filter: ExceptionFilter): DirectRoute {
  const name = `${controller.name}.${key}`;
  const refuse = (why: string) => new Error(`@DirectRoute() on ${name}: ${why}`);
  if (Reflect.getMetadata(METHOD_METADATA, method) !== RequestMethod.GET) throw refuse('only a GET can be direct');
  if (!isPublicRoute(method, controller)) throw refuse('the route must be @Public(): no guard runs on a direct route');
  for (const [metadata, what] of [
    [GUARDS_METADATA, 'guards'],
    [INTERCEPTORS_METADATA, 'interceptors'],
    [PIPES_METADATA, 'pipes'],
    [EXCEPTION_FILTERS_METADATA, 'exception filters'],
  ] as const) {
    const own = [...(Reflect.getMetadata(metadata, method) ?? []), ...(Reflect.getMetadata(metadata, controller) ?? [])];
    if (own.length) throw refuse(`its ${what} would not run`);
  }
  if (Reflect.getMetadata(VERSION_METADATA, method) ?? Reflect.getMetadata(VERSION_METADATA, controller))
    throw refuse('a versioned route cannot be direct');
  if ([SSE_METADATA, REDIRECT_METADATA, RENDER_METADATA].some((metadata) => Reflect.getMetadata(metadata, method) !== undefined))
    throw refuse('an event stream, a redirect or a rendered page cannot be direct');
  const params = pathParameters(controller, key, refuse);
  const parts = [Reflect.getMetadata(PATH_METADATA, controller), Reflect.getMetadata(PATH_METADATA, method)] as unknown[];
  if (parts.some((part) => part !== undefined && typeof part !== 'string')) throw refuse('a route on several paths cannot be direct');
  const url = `/${(parts as (string | undefined)[])
    .map((part) => (part ?? '').replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/')}`;
  const headers = (Reflect.getMetadata(HEADERS_METADATA, method) ?? []) as { name: string; value: string }[];
  const status = Reflect.getMetadata(HTTP_CODE_METADATA, method) as number | undefined;

  const fail = (error: unknown, request: FastifyRequest, reply: FastifyReply) =>
    filter.catch(error, new ExecutionContextHost([request, reply], controller, method));
  const send = (reply: FastifyReply, body: unknown) => {
    for (const header of headers) void reply.header(header.name, header.value);
    if (status !== undefined) void reply.code(status);
    void reply.send(body);
  };
  // a callback, not an async function: the answer's own promise is the only one
  const answer = (request: FastifyRequest, reply: FastifyReply) => {
    const values = request.params as Record<string, string>;
    let result: unknown;
    try {
      result = method.apply(
        instance,
        params.map((param) => values[param]),
      );
    } catch (error) {
      return fail(error, request, reply);
    }
    if (result instanceof Promise)
      result.then(
        (body) => send(reply, body),
        (error: unknown) => fail(error, request, reply),
      );
    else send(reply, result);
  };
  return { name, url, answer, served: false };
}

/** the method's parameters, in order, as the names of string path parameters; anything else is refused */
function pathParameters(controller: Type, key: string, refuse: (why: string) => Error): string[] {
  // nest keeps each argument's metadata under "<paramtype>:<index>"
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, key) ?? {}) as Record<string, RouteArg>;
  const types = (Reflect.getMetadata(PARAMTYPES_METADATA, controller.prototype, key) ?? []) as unknown[];
  const names: (string | undefined)[] = types.map(() => undefined);
  for (const [at, arg] of Object.entries(args)) {
    if (Number(at.split(':')[0]) !== RouteParamtypes.PARAM || typeof arg.data !== 'string')
      throw refuse(`parameter ${arg.index} must be a named path parameter (@Param('name'))`);
    if (arg.pipes?.length) throw refuse(`the pipes of parameter ${arg.data} would not run`);
    if (types[arg.index] !== String) throw refuse(`path parameter ${arg.data} must be a string`);
    names[arg.index] = arg.data;
  }
  const unnamed = names.findIndex((name) => name === undefined);
  if (unnamed >= 0) throw refuse(`parameter ${unnamed} must be a named path parameter (@Param('name'))`);
  return names as string[];
}

interface RouteArg {
  readonly index: number;
  readonly data?: unknown;
  readonly pipes?: unknown[];
}
