import { z } from 'zod';
import { defineConfig, intBetween, type ConfigValue } from '@ecom/config';

const DAY_SECONDS = 24 * 3600;

/**
 * how much each user keeps (the newest NOTIFICATIONS_MAX_PER_USER, for NOTIFICATIONS_TTL_SECONDS after
 * the last one arrived) and how often an open stream sends a heartbeat comment
 */
export const notificationsConfig = () =>
  defineConfig(
    'notifications',
    z.object({
      NOTIFICATIONS_MAX_PER_USER: intBetween(100, 1, 1_000),
      NOTIFICATIONS_TTL_SECONDS: intBetween(30 * DAY_SECONDS, 60, 365 * DAY_SECONDS),
      NOTIFICATIONS_STREAM_HEARTBEAT_MS: intBetween(15_000, 1_000, 120_000),
    }),
    (v) => ({
      maxPerUser: v.NOTIFICATIONS_MAX_PER_USER,
      ttlSeconds: v.NOTIFICATIONS_TTL_SECONDS,
      heartbeatMs: v.NOTIFICATIONS_STREAM_HEARTBEAT_MS,
    }),
  );

export type NotificationsConfig = ConfigValue<ReturnType<typeof notificationsConfig>>;
