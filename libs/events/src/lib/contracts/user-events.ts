import { z } from 'zod';

export const userRegistered = z.object({
  userId: z.string().min(1),
  email: z.email(),
  name: z.string().min(1),
  role: z.enum(['customer', 'admin']),
});
export type UserRegistered = z.infer<typeof userRegistered>;

/** the account is gone; its personal data is erased on the user side, others drop what they keep */
export const userDeleted = z.object({
  userId: z.string().min(1),
});
export type UserDeleted = z.infer<typeof userDeleted>;
