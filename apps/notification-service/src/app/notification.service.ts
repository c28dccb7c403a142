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
  // the store every route needs; the others are reported in /health/ready without failing it
  readiness: ['redis'],
} satisfies ServiceOptions<typeof notificationConfig>;
