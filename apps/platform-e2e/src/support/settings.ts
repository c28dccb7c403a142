import { z } from 'zod';

// the one place the suite reads its environment. the suite is a black box (lint keeps our code out
// of it), so it cannot use @ecom/config; it validates the same way, with zod, and names what is wrong.
const schema = z.object({
  /** the gateway to test through */
  E2E_BASE_URL: z.url().default('http://localhost:8080'),
  /** the admin the local stack seeds (README); set both for another environment */
  E2E_ADMIN_EMAIL: z.email().default('admin@example.com'),
  E2E_ADMIN_PASSWORD: z.string().min(1).default('admin-password-local'),
});

function load() {
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`platform-e2e: invalid environment: ${problems}`);
  }
  const v = parsed.data;
  return { baseUrl: v.E2E_BASE_URL.replace(/\/$/, ''), admin: { email: v.E2E_ADMIN_EMAIL, password: v.E2E_ADMIN_PASSWORD } };
}

export const settings = load();
