import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { RateLimitName } from '@ecom/config';
import { RATE_LIMIT_NAME, RateLimitGuard } from './rate-limit.guard';

const WHO: Record<RateLimitName, string> = {
  register: 'this address has registered too many accounts',
  search: 'this address has searched too often',
  write: 'this user has made too many changes',
};

/**
 * counts the route against the client's rate limit of that name (RATE_LIMIT_*, shared by every
 * replica), and documents its 429. the module needs RateLimitsModule.forRoot.
 */
export const RateLimit = (name: RateLimitName) =>
  applyDecorators(
    SetMetadata(RATE_LIMIT_NAME, name),
    UseGuards(RateLimitGuard),
    ApiTooManyRequestsResponse({
      description: `Rate limited: ${WHO[name]} in the current period (RATE_LIMIT_${name.toUpperCase()}); retry after Retry-After seconds. Nothing was done.`,
      headers: { 'Retry-After': { description: 'Seconds until the limit allows a request again', schema: { type: 'integer', minimum: 1 } } },
    }),
  );
