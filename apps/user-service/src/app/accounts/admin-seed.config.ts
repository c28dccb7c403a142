import { z } from 'zod';
import { defineConfig, localStackFile, type ConfigValue } from '@ecom/config';

// the local admin, documented in the README. it is the default only on a local stack; anywhere
// else the admin's credentials must be given, and production refuses these even when given
export const LOCAL_ADMIN = {
  email: 'admin@example.com',
  password: 'admin-password-local',
};

// a local stack: the process runs in a checkout whose stack made its keys (npm start, nx serve,
// the tests). no image and no pod has this directory

const HOW_TO_SET = 'the first admin account is created from it; see "Admin account" in docs/security.md';

// a missing variable says what to set; a wrong one says what is wrong with it
const required = (otherwise: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? `must be set: ${HOW_TO_SET}` : otherwise),
});

export const adminSeedConfig = ({ localStack = localStackFile('keys') !== undefined }: { localStack?: boolean } = {}) => {
  const email = z.email(required('must be an email address'));
  const password = z.string(required('must be a string')).min(10, 'must be at least 10 characters');
  return defineConfig(
    'adminSeed',
    z
      .object({
        NODE_ENV: z.string().optional(),
        ADMIN_EMAIL: localStack ? email.default(LOCAL_ADMIN.email) : email,
        ADMIN_PASSWORD: localStack ? password.default(LOCAL_ADMIN.password) : password,
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
};

export type AdminSeedConfig = ConfigValue<ReturnType<typeof adminSeedConfig>>;
