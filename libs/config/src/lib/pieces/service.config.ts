import { z } from 'zod';
import { defineConfig, type ConfigValue } from '../define-config';
import { positiveInt } from '../env';

export const serviceConfig = (name: string) =>
  defineConfig(
    'service',
    z.object({
      NODE_ENV: z.enum(['development', 'production', 'test'], { error: 'must be development, production or test' }).default('development'),
      LOG_LEVEL: z
        .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'must be a pino level (info, debug, ...)' })
        .default('info'),
      // how long shutdown waits for in-flight http requests and kafka handlers
      SHUTDOWN_TIMEOUT_MS: positiveInt(10_000),
    }),
    (v) => ({ name, env: v.NODE_ENV, logLevel: v.LOG_LEVEL, shutdownTimeoutMs: v.SHUTDOWN_TIMEOUT_MS }),
  );

export type ServiceConfig = ConfigValue<ReturnType<typeof serviceConfig>>;
