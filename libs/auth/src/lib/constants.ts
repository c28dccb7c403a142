/** the one algorithm tokens are signed and accepted with (ed25519, adr 0007) */
export const JWT_ALG = 'EdDSA';

// pods' clocks drift a little; a token is not refused for a few seconds of skew
export const CLOCK_TOLERANCE_SECONDS = 30;

export const ROLES_KEY = 'ecom:auth:roles';

// infrastructure routes that another shared library registers on the public listener: the probes
// (libs/health) must answer without a token, and that library carries no route conventions
// (@Public() is @ecom/http's). matched against the route pattern fastify resolved, never the raw url.
// /metrics and /docs live on the management listener, which has no guard and is never routed to.
export const INFRASTRUCTURE_ROUTES: readonly RegExp[] = [/^\/health\//];
