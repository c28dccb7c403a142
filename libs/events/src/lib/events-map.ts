import type { z } from 'zod';
import type { Contract } from './contract';
import { orderCancelled, orderConfirmed, orderPlaced, orderRejected } from './contracts/order-events';
import { productDeleted, productUpserted } from './contracts/product-events';
import { stockRejected, stockReleased, stockReserved } from './contracts/stock-events';
import { userDeleted, userRegistered } from './contracts/user-events';
import { Topics, type TopicName } from './topics';

/**
 * topic -> event type, schema version and payload schema; the compiler checks it covers every topic.
 * how to change one safely (additive field, or a version bump with an upcaster): see the README.
 */
export const contracts = {
  [Topics.UserRegistered]: { type: 'user.registered', version: 1, schema: userRegistered },
  [Topics.UserDeleted]: { type: 'user.deleted', version: 1, schema: userDeleted },
  [Topics.ProductUpserted]: { type: 'product.upserted', version: 1, schema: productUpserted },
  [Topics.ProductDeleted]: { type: 'product.deleted', version: 1, schema: productDeleted },
  [Topics.OrderPlaced]: { type: 'order.placed', version: 1, schema: orderPlaced },
  [Topics.OrderConfirmed]: { type: 'order.confirmed', version: 1, schema: orderConfirmed },
  [Topics.OrderRejected]: { type: 'order.rejected', version: 1, schema: orderRejected },
  [Topics.OrderCancelled]: { type: 'order.cancelled', version: 1, schema: orderCancelled },
  [Topics.StockReserved]: { type: 'stock.reserved', version: 1, schema: stockReserved },
  [Topics.StockRejected]: { type: 'stock.rejected', version: 1, schema: stockRejected },
  [Topics.StockReleased]: { type: 'stock.released', version: 1, schema: stockReleased },
} satisfies { [T in TopicName]: Contract };

/** the payload type of each topic: publishing the wrong payload to a topic does not compile */
export type EventsMap = { [T in TopicName]: z.infer<(typeof contracts)[T]['schema']> };
