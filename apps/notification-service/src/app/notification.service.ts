import { REVOCATIONS_CHECK, startEventConsumers } from '@ecom/kafka';
import type { ServiceOptions } from '@ecom/bootstrap';
import { notificationConfig, SERVICE } from './notification.config';
import { NotificationModule } from './notification.module';

/** everything bootstrapService needs; tests build the same app from it */
export const notificationService = {
  name: SERVICE,
  module: NotificationModule,
  config: notificationConfig,
  openapi: {
    title: 'Notification service',
    description: 'Notifications per user.',
  },
  // the store every route needs, and the deleted users' revocations read to the end (no traffic
  // before they are known); the others are reported in /health/ready without failing it
  readiness: ['redis', REVOCATIONS_CHECK],
  // its @EventHandler methods, served by the kafka transport
  messages: startEventConsumers,
} satisfies ServiceOptions<typeof notificationConfig>;
