import { z } from 'zod';

export const productCreated = z.object({
  productId: z.string().min(1),
  sku: z.string().min(1),
  name: z.string().min(1),
  priceCents: z.number().int().nonnegative(),
  stock: z.number().int().nonnegative(),
});
export type ProductCreated = z.infer<typeof productCreated>;
