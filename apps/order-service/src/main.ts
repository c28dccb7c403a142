import { bootstrapService } from '@ecom/bootstrap';
import { orderConfig, SERVICE } from './app/order.config';
import { OrderModule } from './app/order.module';

void bootstrapService({
  name: SERVICE,
  module: OrderModule,
  config: orderConfig,
  openapi: { title: 'Order service', description: 'Orders with ACID transactions.' },
});
