import { z } from 'zod';
import { defineConfig, type ConfigValue } from '../define-config';

/**
 * the services' own rate limits, counted in a store every replica shares (redis, or postgres where a
 * service has no redis), so ten replicas allow what one does. each is "N/period": N requests per
 * client per period (s, m or h), e.g. 20/10m. a client is the signed-in user where the route needs a
 * token, else the client address. login has its own, stricter limits (LOGIN_*, user-service).
 *   register: POST /api/users, per address
 *   search:   GET /api/products/search, per address
 *   write:    every other write (orders, cancels, products, profile, notifications), per user
 * the edge (gateway, ingress) has coarser limits of its own: deploy/gateway/rate-limits.env.
 */
export const RATE_LIMIT_NAMES = ['register', 'search', 'write'] as const;
export type RateLimitName = (typeof RATE_LIMIT_NAMES)[number];

export interface RateLimit {
  readonly limit: number;
  readonly windowMs: number;
}

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000 } as const;
const SPEC = /^(\d+)\/(\d*)(s|m|h)$/;

/** "20/10m" -> 20 per 600,000 ms; undefined when it is not of that form */
export function parseRateLimit(value: string): RateLimit | undefined {
  const m = SPEC.exec(value.trim());
  if (!m) return undefined;
  const limit = Number(m[1]);
  const windowMs = Number(m[2] || '1') * UNIT_MS[m[3] as keyof typeof UNIT_MS];
  return limit >= 1 && windowMs >= 1000 && windowMs <= 24 * UNIT_MS.h ? { limit, windowMs } : undefined;
}

const rate = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine((v) => parseRateLimit(v) !== undefined, 'must be N/period, e.g. 20/10m: N of at least 1, a period from 1s to 24h');

export const rateLimitsConfig = () =>
  defineConfig(
    'rateLimits',
    z.object({
      RATE_LIMIT_REGISTER: rate('20/10m'),
      RATE_LIMIT_SEARCH: rate('600/1m'),
      RATE_LIMIT_WRITE: rate('120/1m'),
    }),
    (v): Record<RateLimitName, RateLimit> => ({
      register: parseRateLimit(v.RATE_LIMIT_REGISTER)!,
      search: parseRateLimit(v.RATE_LIMIT_SEARCH)!,
      write: parseRateLimit(v.RATE_LIMIT_WRITE)!,
    }),
  );

export type RateLimitsConfig = ConfigValue<ReturnType<typeof rateLimitsConfig>>;
