import { REVOCATIONS_CHECK, startEventConsumers } from '@ecom/kafka';
import type { ServiceOptions } from '@ecom/bootstrap';
import { productConfig, SERVICE } from './product.config';
import { ProductModule } from './product.module';

/** everything bootstrapService needs; tests build the same app from it */
export const productService = {
  name: SERVICE,
  module: ProductModule,
  config: productConfig,
  openapi: {
    title: 'Product service',
    description: 'Catalog, stock and full-text search.',
  },
  // the store every route needs, and the deleted users' revocations read to the end (no traffic
  // before they are known); the others are reported in /health/ready without failing it
  readiness: ['mongodb', REVOCATIONS_CHECK],
  // its @EventHandler methods, served by the kafka transport
  messages: startEventConsumers,
} satisfies ServiceOptions<typeof productConfig>;
