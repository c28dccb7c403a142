import { z } from 'zod';

export const userRegistered = z.object({
  userId: z.string().min(1),
  email: z.email(),
  name: z.string().min(1),
  role: z.enum(['customer', 'admin']),
});
export type UserRegistered = z.infer<typeof userRegistered>;
