import { z } from 'zod';
import { money } from './money';

// the product side of the order saga: every item reserved at the catalog's price, or none

const reservedLine = z.object({
  productId: z.string().min(1),
  sku: z.string().min(1),
  name: z.string().min(1),
  quantity: z.number().int().positive(),
  unitPrice: money,
});

export const stockReserved = z.object({
  orderId: z.string().min(1),
  lines: z.array(reservedLine).min(1),
  total: money,
});
export type StockReserved = z.infer<typeof stockReserved>;

export const stockRejected = z.object({
  orderId: z.string().min(1),
  reason: z.string().min(1),
});
export type StockRejected = z.infer<typeof stockRejected>;

export const stockReleased = z.object({
  orderId: z.string().min(1),
});
export type StockReleased = z.infer<typeof stockReleased>;
