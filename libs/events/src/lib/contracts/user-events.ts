import { z } from 'zod';

/**
 * the one rule for an email address: z.email() checks with it, and the http side (registration)
 * validates with it too, so an address the api accepts never fails the event contract
 */
export const EMAIL_PATTERN = z.regexes.email;

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
