import type { ServiceOptions } from '@ecom/bootstrap';
import { orderConfig, SERVICE } from './order.config';
import { OrderModule } from './order.module';

/** everything bootstrapService needs; tests build the same app from it */
export const orderService = {
  name: SERVICE,
  module: OrderModule,
  config: orderConfig,
  openapi: {
    title: 'Order service',
    description: 'Orders with ACID transactions.',
  },
  // the store every route needs; the others are reported in /health/ready without failing it
  readiness: ['postgres'],
} satisfies ServiceOptions<typeof orderConfig>;
