import { z } from 'zod';
import { defineConfig, type ConfigValue } from '../define-config';
import { positiveInt } from '../env';

// the fallback secret exists so the local stack works out of the box; production must set its own
const DEV_SECRET = 'local-development-secret-change-me-0123456789';

export const authConfig = () =>
  defineConfig(
    'auth',
    z
      .object({
        NODE_ENV: z.string().optional(),
        JWT_SECRET: z.string().min(32, 'must be at least 32 characters').default(DEV_SECRET),
        JWT_TTL_SECONDS: positiveInt(3600),
      })
      .refine((v) => v.NODE_ENV !== 'production' || v.JWT_SECRET !== DEV_SECRET, {
        path: ['JWT_SECRET'],
        message: 'must be set in production (the built-in development secret is refused)',
      }),
    (v) => ({ jwtSecret: v.JWT_SECRET, jwtTtlSeconds: v.JWT_TTL_SECONDS }),
  );

export type AuthConfig = ConfigValue<ReturnType<typeof authConfig>>;
