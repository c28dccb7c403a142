import { jwtVerifyConfig, elasticsearchConfig, httpConfig, kafkaConfig, mongodbConfig, rateLimitsConfig, redisConfig, serviceConfig } from '@ecom/config';

export const SERVICE = 'product-service';

const kafka = kafkaConfig(SERVICE);
const search = elasticsearchConfig('products');

export const productConfig = [
  serviceConfig(SERVICE),
  httpConfig(3002),
  kafka,
  jwtVerifyConfig(),
  mongodbConfig('products'),
  redisConfig('product'),
  search,
  rateLimitsConfig(),
] as const;

/** what `main.js rebuild` reads: the same settings, of the two stores a search rebuild uses */
export const searchRebuildConfig = [kafka, search] as const;
