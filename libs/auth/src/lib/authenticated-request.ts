import type { FastifyRequest } from 'fastify';
import type { AuthUser } from './auth-user';

/** the request once JwtAuthGuard has let it through; user is unset on @Public() routes */
export type AuthenticatedRequest = FastifyRequest & { user?: AuthUser };
