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
  // the store every route needs; the others are reported in /health/ready without failing it
  readiness: ['mongodb'],
} satisfies ServiceOptions<typeof productConfig>;
