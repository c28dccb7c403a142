import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthUser } from './auth-user';
import type { AuthenticatedRequest } from './authenticated-request';

/** the caller, as JwtAuthGuard verified it */
export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthUser => {
  const { user } = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
  // the guard sets it on every route it checks, so this is a @Public() route asking for a user: a bug
  if (!user) throw new Error('@CurrentUser() used on a route without a verified user (is it @Public()?)');
  return user;
});
