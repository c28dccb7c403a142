import { REVOCATIONS_CHECK, startEventConsumers } from '@ecom/kafka';
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
  // the store every route needs, and the deleted users' revocations read to the end (no traffic
  // before they are known); the others are reported in /health/ready without failing it
  readiness: ['postgres', REVOCATIONS_CHECK],
  // its @EventHandler methods, served by the kafka transport
  messages: startEventConsumers,
} satisfies ServiceOptions<typeof orderConfig>;
