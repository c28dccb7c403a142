import { jwtVerifyConfig, httpConfig, kafkaConfig, rateLimitsConfig, redisConfig, serviceConfig } from '@ecom/config';
import { notificationsConfig } from './notifications/notifications.config';

export const SERVICE = 'notification-service';

export const notificationConfig = [
  serviceConfig(SERVICE),
  httpConfig(3005),
  kafkaConfig(SERVICE),
  jwtVerifyConfig(),
  redisConfig('notification'),
  notificationsConfig(),
  rateLimitsConfig(),
] as const;
