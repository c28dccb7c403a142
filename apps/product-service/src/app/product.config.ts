import { jwtVerifyConfig, elasticsearchConfig, httpConfig, kafkaConfig, mongodbConfig, rateLimitsConfig, redisConfig, serviceConfig } from '@ecom/config';

export const SERVICE = 'product-service';

export const productConfig = [
  serviceConfig(SERVICE),
  httpConfig(3002),
  kafkaConfig(SERVICE),
  jwtVerifyConfig(),
  mongodbConfig('products'),
  redisConfig('product'),
  elasticsearchConfig('products'),
  rateLimitsConfig(),
] as const;
