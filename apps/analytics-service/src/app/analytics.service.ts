import type { ServiceOptions } from '@ecom/bootstrap';
import { analyticsConfig, SERVICE } from './analytics.config';
import { AnalyticsModule } from './analytics.module';

/** everything bootstrapService needs; tests build the same app from it */
export const analyticsService = {
  name: SERVICE,
  module: AnalyticsModule,
  config: analyticsConfig,
  openapi: {
    title: 'Analytics service',
    description: 'Event history, a summary and time series of sign-ups, orders, revenue and top products, for admins.',
  },
  // the store every route needs; the others are reported in /health/ready without failing it
  readiness: ['cassandra'],
} satisfies ServiceOptions<typeof analyticsConfig>;
