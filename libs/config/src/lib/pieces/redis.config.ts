import { z } from 'zod';
import { defineConfig, type ConfigValue } from '../define-config';
import { optionalHostList, text, url } from '../env';

export const redisConfig = (keyPrefix: string) =>
  defineConfig(
    'redis',
    z.object({
      REDIS_URL: url('redis://127.0.0.1:6379', /^rediss?$/),
      REDIS_KEY_PREFIX: text(`${keyPrefix}:`),
      // with Sentinels (production's data tier): their host:port list, and the name they watch the primary
      // under. the client asks them where the primary is, and asks again after a failover; REDIS_URL then
      // gives only the password and database, its host is not used
      REDIS_SENTINELS: optionalHostList(),
      REDIS_SENTINEL_MASTER: text('ecom'),
      // when the Sentinels themselves ask for a password
      REDIS_SENTINEL_PASSWORD: z.string().min(1, 'must not be empty').optional(),
      // data that is not a cache waits for this many replicas to have each write before it counts (WAIT),
      // so a failover loses none of it: 1 with replicas, 0 on one node
      REDIS_WAIT_FOR_REPLICAS: z.coerce.number().int('must be a whole number').min(0, 'must be 0 or more').default(0),
      REDIS_WAIT_TIMEOUT_MS: z.coerce.number().int('must be a whole number').positive('must be more than 0').default(1000),
    }),
    (v) => ({
      url: v.REDIS_URL,
      keyPrefix: v.REDIS_KEY_PREFIX,
      replicaWait: { replicas: v.REDIS_WAIT_FOR_REPLICAS, timeoutMs: v.REDIS_WAIT_TIMEOUT_MS },
      ...(v.REDIS_SENTINELS && {
        sentinels: {
          hosts: v.REDIS_SENTINELS.map((h) => ({ host: h.slice(0, h.lastIndexOf(':')), port: Number(h.slice(h.lastIndexOf(':') + 1)) })),
          master: v.REDIS_SENTINEL_MASTER,
          ...(v.REDIS_SENTINEL_PASSWORD && { password: v.REDIS_SENTINEL_PASSWORD }),
        },
      }),
    }),
  );

export type RedisConfig = ConfigValue<ReturnType<typeof redisConfig>>;
