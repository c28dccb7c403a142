import { z } from 'zod';
import { defineConfig, type ConfigValue } from '@ecom/config';

// the local defaults are in the README; production must choose its own
export const LOCAL_ADMIN = {
  email: 'admin@example.com',
  password: 'admin-password-local',
};

export const adminSeedConfig = () =>
  defineConfig(
    'adminSeed',
    z
      .object({
        NODE_ENV: z.string().optional(),
        ADMIN_EMAIL: z.email({ error: 'must be an email address' }).default(LOCAL_ADMIN.email),
        ADMIN_PASSWORD: z.string().min(10, 'must be at least 10 characters').default(LOCAL_ADMIN.password),
      })
      .superRefine((v, ctx) => {
        if (v.NODE_ENV !== 'production') return;
        if (v.ADMIN_EMAIL === LOCAL_ADMIN.email)
          ctx.addIssue({
            code: 'custom',
            path: ['ADMIN_EMAIL'],
            message: 'must be set in production (the local default is refused)',
          });
        if (v.ADMIN_PASSWORD === LOCAL_ADMIN.password)
          ctx.addIssue({
            code: 'custom',
            path: ['ADMIN_PASSWORD'],
            message: 'must be set in production (the local default is refused)',
          });
      }),
    (v) => ({ email: v.ADMIN_EMAIL, password: v.ADMIN_PASSWORD }),
  );

export type AdminSeedConfig = ConfigValue<ReturnType<typeof adminSeedConfig>>;
