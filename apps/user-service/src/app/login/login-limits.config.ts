import { z } from 'zod';
import { defineConfig, type ConfigValue } from '@ecom/config';

const perWindow = (fallback: number) => z.coerce.number().int().positive('must be above 0').default(fallback);

/** login attempts allowed per client ip per minute, and per account per 15 minutes */
export const loginLimitsConfig = () =>
  defineConfig(
    'loginLimits',
    z.object({ LOGIN_LIMIT_PER_IP_PER_MINUTE: perWindow(30), LOGIN_LIMIT_PER_ACCOUNT_PER_15_MINUTES: perWindow(10) }),
    (v) => ({ perIpPerMinute: v.LOGIN_LIMIT_PER_IP_PER_MINUTE, perAccountPer15Minutes: v.LOGIN_LIMIT_PER_ACCOUNT_PER_15_MINUTES }),
  );

export type LoginLimitsConfig = ConfigValue<ReturnType<typeof loginLimitsConfig>>;
