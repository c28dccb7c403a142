import { z } from 'zod';
import { defineConfig, positiveInt, type ConfigValue } from '@ecom/config';

/** what the rollups assume of the clocks of the analytics instances (analytics.schema.ts says why) */
export const rollupsConfig = () =>
  defineConfig(
    'rollups',
    z.object({
      // the most two instances' clocks may differ, a clock stepped back included. NTP keeps them within
      // milliseconds; a day's rollup is trusted only if read this long after the day was last dirtied
      ANALYTICS_MAX_CLOCK_SKEW_MS: positiveInt(60_000),
    }),
    (v) => ({ maxClockSkewMs: v.ANALYTICS_MAX_CLOCK_SKEW_MS }),
  );

export type RollupsConfig = ConfigValue<ReturnType<typeof rollupsConfig>>;
