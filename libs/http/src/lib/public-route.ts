import { SetMetadata } from '@nestjs/common';

const IS_PUBLIC_KEY = 'ecom:auth:public';

/**
 * opts a route or a controller out of the global bearer-token check (@ecom/auth's JwtAuthGuard). kept
 * here, beside the other route conventions, because what answers a route needs to know it too: a
 * @DirectRoute() runs no guard, so it must be public
 */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);

/** whether a route's handler or its controller is @Public(): what the global guard and the direct routes ask */
export function isPublicRoute(handler: object, controller: object): boolean {
  return Reflect.getMetadata(IS_PUBLIC_KEY, handler) === true || Reflect.getMetadata(IS_PUBLIC_KEY, controller) === true;
}
