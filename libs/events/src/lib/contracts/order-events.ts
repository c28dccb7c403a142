import { z } from 'zod';
import { money } from './money';

const requestedLine = z.object({
  productId: z.string().min(1),
  quantity: z.number().int().positive(),
});

/** what the customer asked for; prices come from the product side, never from the client */
export const orderPlaced = z.object({
  orderId: z.string().min(1),
  userId: z.string().min(1),
  lines: z.array(requestedLine).min(1),
});
export type OrderPlaced = z.infer<typeof orderPlaced>;

export const orderConfirmed = z.object({
  orderId: z.string().min(1),
  userId: z.string().min(1),
  lines: z.array(requestedLine.extend({ unitPrice: money })).min(1),
  total: money,
});
export type OrderConfirmed = z.infer<typeof orderConfirmed>;

export const orderRejected = z.object({
  orderId: z.string().min(1),
  userId: z.string().min(1),
  reason: z.string().min(1),
});
export type OrderRejected = z.infer<typeof orderRejected>;

/** the product side releases whatever it reserved for the order (compensation) */
export const orderCancelled = z.object({
  orderId: z.string().min(1),
  userId: z.string().min(1),
});
export type OrderCancelled = z.infer<typeof orderCancelled>;
