import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

// the one place the suite reads its environment. the suite is a black box (lint keeps our code out
// of it), so it cannot use @ecom/config; it validates the same way, with zod, and names what is wrong.

// the services and where npm start runs them: deploy/services.json, the one list of them (a file, not code)
const SERVICE_LIST = join(__dirname, '../../../../deploy/services.json');
const listed = (JSON.parse(readFileSync(SERVICE_LIST, 'utf8')) as { services: { name: string; port: number }[] }).services;
/** USER_SERVICE_PORT for user-service: npm start's own port override, e.g. USER_SERVICE_PORT=4001 */
const portVariable = (name: string) => `${name.toUpperCase().replace(/-/g, '_')}_PORT`;
/** one <NAME>_PORT per service, defaulting to the list's port */
const ports = z.object(Object.fromEntries(listed.map((s) => [portVariable(s.name), z.coerce.number().int().min(1).max(65535).default(s.port)])));

const schema = z.object({
  /** the gateway to test through */
  E2E_BASE_URL: z.url().default('http://localhost:8080'),
  /** the admin the local stack seeds (README); set both for another environment */
  E2E_ADMIN_EMAIL: z.email().default('admin@example.com'),
  E2E_ADMIN_PASSWORD: z.string().min(1).default('admin-password-local'),
  /** where the services themselves listen (npm start), for the suites that go around the gateway */
  E2E_SERVICES_HOST: z.string().min(1).default('127.0.0.1'),
  /** Schemathesis test cases per operation and phase (schemathesis.e2e-spec.ts) */
  E2E_SCHEMATHESIS_MAX_EXAMPLES: z.coerce.number().int().min(1).default(50),
});

function load() {
  const parsed = schema.safeParse(process.env);
  const parsedPorts = ports.safeParse(process.env);
  if (!parsed.success || !parsedPorts.success) {
    const issues = [...(parsed.error?.issues ?? []), ...(parsedPorts.error?.issues ?? [])];
    const problems = issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`platform-e2e: invalid environment: ${problems}`);
  }
  const v = parsed.data;
  const p = parsedPorts.data;
  return {
    baseUrl: v.E2E_BASE_URL.replace(/\/$/, ''),
    admin: { email: v.E2E_ADMIN_EMAIL, password: v.E2E_ADMIN_PASSWORD },
    servicesHost: v.E2E_SERVICES_HOST,
    schemathesisMaxExamples: v.E2E_SCHEMATHESIS_MAX_EXAMPLES,
    /** each service of deploy/services.json, in its order, and its port */
    servicePorts: Object.fromEntries(listed.map((s) => [s.name, p[portVariable(s.name)]])) as Record<string, number>,
  };
}

export const settings = load();
