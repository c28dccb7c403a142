import { SetMetadata } from '@nestjs/common';

export const DIRECT_ROUTE_KEY = 'ecom:http:direct-route';

/**
 * a GET that fastify answers straight from the controller's method, past nest's router: the per-request
 * execution context, the guards', pipes' and handler's promises and the response controller cost the
 * cached product read a quarter of its CPU (docs/performance.md, change 53). what stays: fastify's hooks
 * (correlation id, metrics, the request log, Cache-Control), the method's @Header()s and @HttpCode(), and
 * its errors leave through the global exception filter as problem+json. the route stays nest's as well:
 * the OpenAPI document, the 405s and the route table see it as before.
 * what does not run is any guard, pipe, interceptor or exception filter of nest's. so @ecom/bootstrap's
 * createServiceApp refuses to start unless the route is @Public() on one path, carries none of its own,
 * and takes only string path parameters (@Param('name')), which the global ValidationPipe passes through
 * unchanged. a global guard or interceptor added later does not reach it either: keep it to plain public
 * reads. the method's value (or its promise's) is sent as fastify sends it.
 */
export const DirectRoute = (): MethodDecorator => SetMetadata(DIRECT_ROUTE_KEY, true);
