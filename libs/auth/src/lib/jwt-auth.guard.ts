import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import type { AuthUser, Role } from './auth-user';
import type { AuthenticatedRequest } from './authenticated-request';
import { isPublicRoute } from '@ecom/http';
import { INFRASTRUCTURE_ROUTES, ROLES_KEY } from './constants';
import { InvalidTokenError } from './invalid-token.error';
import { TokenVerifier } from './token-verifier';

const BEARER = /^Bearer +(\S+)$/i;

/**
 * global: every http route needs a valid bearer token unless it is @Public() or an infrastructure
 * route; @Roles() narrows it further. 401 and 403 leave as problem+json through the global filter.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
  ) {}

  // a public route is answered without a promise: nest awaits only a guard's promise, and the hot read is public
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    // kafka and other transports are trusted through the broker, not bearer tokens
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (isPublicRoute(context.getHandler(), context.getClass()) || isInfrastructure(request)) return true;
    return this.authorize(context, request);
  }

  private async authorize(context: ExecutionContext, request: AuthenticatedRequest): Promise<boolean> {
    const user = await this.authenticate(request, context.switchToHttp().getResponse<FastifyReply>());
    request.user = user;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targetsOf(context));
    if (roles && !roles.includes(user.role)) throw new ForbiddenException(`requires role ${roles.join(' or ')}`);
    return true;
  }

  private async authenticate(request: AuthenticatedRequest, reply: FastifyReply): Promise<AuthUser> {
    const token = BEARER.exec(request.headers.authorization ?? '')?.[1];
    // rfc 6750: a 401 tells the client which scheme to use, and whether its token was the problem
    if (!token) {
      void reply.header('www-authenticate', 'Bearer');
      throw new UnauthorizedException('a bearer token is required');
    }
    try {
      return await this.verifier.verify(token);
    } catch (e) {
      if (!(e instanceof InvalidTokenError)) throw e;
      void reply.header('www-authenticate', 'Bearer error="invalid_token"');
      throw new UnauthorizedException(`the bearer token is invalid (${e.reason})`);
    }
  }
}

// where @Public() and @Roles() may be: the handler, then its controller
const targetsOf = (context: ExecutionContext) => [context.getHandler(), context.getClass()];

function isInfrastructure(request: AuthenticatedRequest): boolean {
  const route = request.routeOptions.url;
  return route !== undefined && INFRASTRUCTURE_ROUTES.some((pattern) => pattern.test(route));
}
