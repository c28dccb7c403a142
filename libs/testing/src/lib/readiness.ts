import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { managementServer } from '@ecom/bootstrap';
import { waitFor } from './wait-for';

export interface Readiness {
  readonly statusCode: number;
  readonly body: { status: string; details: Record<string, { status: string }> };
}

/**
 * GET /health/ready with every check's details, as operators see it: from the management listener
 * (the public one says only ok or error), through fastify's inject, no port needed
 */
export async function readiness(app: NestFastifyApplication): Promise<Readiness> {
  const res = await managementServer(app).inject({ method: 'GET', url: '/health/ready' });
  return { statusCode: res.statusCode, body: res.json() };
}

/**
 * waits until the app reports ready: its gates are up, the revocations feed among them, which
 * reads user.deleted with a group of its own and takes a few seconds after the app starts. a test
 * that then cuts a store sees that outage alone in /health/ready, not a start still going on.
 */
export async function untilReady(app: NestFastifyApplication, timeoutMs = 60_000): Promise<Readiness> {
  return waitFor(
    'the app to report ready',
    async () => {
      const r = await readiness(app);
      return r.statusCode === 200 && r;
    },
    { timeoutMs },
  );
}
