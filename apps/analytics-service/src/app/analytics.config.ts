import { jwtVerifyConfig, cassandraConfig, httpConfig, kafkaConfig, serviceConfig } from '@ecom/config';

export const SERVICE = 'analytics-service';

export const analyticsConfig = [
  serviceConfig(SERVICE),
  httpConfig(3004),
  kafkaConfig(SERVICE),
  jwtVerifyConfig(),
  cassandraConfig('analytics'),
] as const;
