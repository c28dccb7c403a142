import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { managementServer } from '@ecom/bootstrap';

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
