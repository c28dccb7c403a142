import { bootstrapService } from '@ecom/bootstrap';
import { productConfig, SERVICE } from './app/product.config';
import { ProductModule } from './app/product.module';

void bootstrapService({
  name: SERVICE,
  module: ProductModule,
  config: productConfig,
  openapi: { title: 'Product service', description: 'Catalog, stock and full-text search.' },
});
