import { z } from 'zod';
import { money } from './money';

/**
 * the product as it is after a write; the search index is fed from these, newest version wins.
 * every catalog edit publishes one; an order's stock move only when search would show it (the
 * product going out of stock or back, or its stock at or below 10), so versions may skip
 */
export const productUpserted = z.object({
  productId: z.string().min(1),
  version: z.number().int().nonnegative(),
  sku: z.string().min(1),
  name: z.string().min(1),
  description: z.string(),
  price: money,
  stock: z.number().int().nonnegative(),
  category: z.string().min(1),
  tags: z.array(z.string()),
});
export type ProductUpserted = z.infer<typeof productUpserted>;

export const productDeleted = z.object({
  productId: z.string().min(1),
  version: z.number().int().nonnegative(),
});
export type ProductDeleted = z.infer<typeof productDeleted>;
