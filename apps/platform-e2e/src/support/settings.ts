import { z } from 'zod';

// the one place the suite reads its environment. the suite is a black box (lint keeps our code out
// of it), so it cannot use @ecom/config; it validates the same way, with zod, and names what is wrong.
const schema = z.object({
  /** the gateway to test through */
  E2E_BASE_URL: z.url().default('http://localhost:8080'),
  /** the admin the local stack seeds (README); set both for another environment */
  E2E_ADMIN_EMAIL: z.email().default('admin@example.com'),
  E2E_ADMIN_PASSWORD: z.string().min(1).default('admin-password-local'),
  /** where the services themselves listen (npm start), for the suites that go around the gateway */
  E2E_SERVICES_HOST: z.string().min(1).default('127.0.0.1'),
  /** npm start's own port overrides, e.g. USER_SERVICE_PORT=4001 */
  USER_SERVICE_PORT: z.coerce.number().int().min(1).max(65535).default(3001),
  PRODUCT_SERVICE_PORT: z.coerce.number().int().min(1).max(65535).default(3002),
  ORDER_SERVICE_PORT: z.coerce.number().int().min(1).max(65535).default(3003),
  ANALYTICS_SERVICE_PORT: z.coerce.number().int().min(1).max(65535).default(3004),
  NOTIFICATION_SERVICE_PORT: z.coerce.number().int().min(1).max(65535).default(3005),
  /** Schemathesis test cases per operation and phase (schemathesis.e2e-spec.ts) */
  E2E_SCHEMATHESIS_MAX_EXAMPLES: z.coerce.number().int().min(1).default(50),
});

function load() {
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`platform-e2e: invalid environment: ${problems}`);
  }
  const v = parsed.data;
  return {
    baseUrl: v.E2E_BASE_URL.replace(/\/$/, ''),
    admin: { email: v.E2E_ADMIN_EMAIL, password: v.E2E_ADMIN_PASSWORD },
    servicesHost: v.E2E_SERVICES_HOST,
    schemathesisMaxExamples: v.E2E_SCHEMATHESIS_MAX_EXAMPLES,
    servicePorts: {
      'user-service': v.USER_SERVICE_PORT,
      'product-service': v.PRODUCT_SERVICE_PORT,
      'order-service': v.ORDER_SERVICE_PORT,
      'analytics-service': v.ANALYTICS_SERVICE_PORT,
      'notification-service': v.NOTIFICATION_SERVICE_PORT,
    },
  };
}

export const settings = load();
