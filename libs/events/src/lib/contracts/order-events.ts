import { z } from 'zod';

const orderLine = z.object({
  productId: z.string().min(1),
  quantity: z.number().int().positive(),
  unitPriceCents: z.number().int().nonnegative(),
});

export const orderCreated = z.object({
  orderId: z.string().min(1),
  userId: z.string().min(1),
  lines: z.array(orderLine).min(1),
  totalCents: z.number().int().nonnegative(),
  currency: z.string().length(3),
});
export type OrderCreated = z.infer<typeof orderCreated>;
