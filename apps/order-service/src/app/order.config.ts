import { jwtVerifyConfig, httpConfig, kafkaConfig, postgresConfig, rateLimitsConfig, serviceConfig } from '@ecom/config';

export const SERVICE = 'order-service';

export const orderConfig = [
  serviceConfig(SERVICE),
  httpConfig(3003),
  kafkaConfig(SERVICE),
  jwtVerifyConfig(),
  postgresConfig('ecom'),
  rateLimitsConfig(),
] as const;
