import type { z } from 'zod';
import { orderCreated } from './contracts/order-events';
import { productCreated } from './contracts/product-events';
import { userRegistered } from './contracts/user-events';
import { Topics, type TopicName } from './topics';

interface Contract<S extends z.ZodType> {
  readonly type: string;
  readonly version: number;
  readonly schema: S;
}

/** topic -> event type, schema version and payload schema; the compiler checks it covers every topic */
export const contracts = {
  [Topics.UserRegistered]: { type: 'user.registered', version: 1, schema: userRegistered },
  [Topics.ProductCreated]: { type: 'product.created', version: 1, schema: productCreated },
  [Topics.OrderCreated]: { type: 'order.created', version: 1, schema: orderCreated },
} satisfies { [T in TopicName]: Contract<z.ZodType> };

/** the payload type of each topic: publishing the wrong payload to a topic does not compile */
export type EventsMap = { [T in TopicName]: z.infer<(typeof contracts)[T]['schema']> };
