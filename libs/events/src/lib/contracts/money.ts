import { z } from 'zod';

/** money in minor units (cents) with an ISO 4217 code, never a float */
export const money = z.object({
  amount: z.number().int().nonnegative(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR'),
});
export type Money = z.infer<typeof money>;
