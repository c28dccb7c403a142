import { z } from 'zod';
import { defineConfig, type ConfigValue } from '../define-config';
import { text, url } from '../env';

export const redisConfig = (keyPrefix: string) =>
  defineConfig(
    'redis',
    z.object({
      REDIS_URL: url('redis://127.0.0.1:6379', /^rediss?$/),
      REDIS_KEY_PREFIX: text(`${keyPrefix}:`),
    }),
    (v) => ({ url: v.REDIS_URL, keyPrefix: v.REDIS_KEY_PREFIX }),
  );

export type RedisConfig = ConfigValue<ReturnType<typeof redisConfig>>;
