import { jwtVerifyConfig, httpConfig, kafkaConfig, postgresConfig, serviceConfig } from '@ecom/config';

export const SERVICE = 'order-service';

export const orderConfig = [
  serviceConfig(SERVICE),
  httpConfig(3003),
  kafkaConfig(SERVICE),
  jwtVerifyConfig(),
  postgresConfig('ecom'),
] as const;
