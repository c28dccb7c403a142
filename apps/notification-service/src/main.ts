import { bootstrapService } from '@ecom/bootstrap';
import { notificationConfig, SERVICE } from './app/notification.config';
import { NotificationModule } from './app/notification.module';

void bootstrapService({
  name: SERVICE,
  module: NotificationModule,
  config: notificationConfig,
  openapi: { title: 'Notification service', description: 'Notifications per user.' },
});
