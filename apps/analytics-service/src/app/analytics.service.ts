import { REVOCATIONS_CHECK, startEventConsumers } from '@ecom/kafka';
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
  // the store every route needs, and the deleted users' revocations read to the end (no traffic
  // before they are known); the others are reported in /health/ready without failing it
  readiness: ['cassandra', REVOCATIONS_CHECK],
  // its @EventHandler methods, served by the kafka transport
  messages: startEventConsumers,
} satisfies ServiceOptions<typeof analyticsConfig>;
