import { jwtVerifyConfig, cassandraConfig, httpConfig, kafkaConfig, serviceConfig } from '@ecom/config';
import { rollupsConfig } from './rollups/rollups.config';

export const SERVICE = 'analytics-service';

export const analyticsConfig = [
  serviceConfig(SERVICE),
  httpConfig(3004),
  kafkaConfig(SERVICE),
  jwtVerifyConfig(),
  cassandraConfig('analytics'),
  rollupsConfig(),
] as const;
