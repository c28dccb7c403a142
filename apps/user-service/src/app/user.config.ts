import { jwtVerifyConfig, jwtSignConfig, httpConfig, kafkaConfig, mongodbConfig, rateLimitsConfig, redisConfig, serviceConfig } from '@ecom/config';

import { adminSeedConfig } from './accounts/admin-seed.config';
import { loginLimitsConfig } from './login/login-limits.config';

export const SERVICE = 'user-service';

export const userConfig = [
  serviceConfig(SERVICE),
  httpConfig(3001),
  kafkaConfig(SERVICE),
  jwtVerifyConfig(),
  jwtSignConfig(),
  mongodbConfig('users'),
  redisConfig('user'),
  adminSeedConfig(),
  loginLimitsConfig(),
  rateLimitsConfig(),
] as const;
