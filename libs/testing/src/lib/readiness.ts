import type { NestFastifyApplication } from '@nestjs/platform-fastify';

export interface Readiness {
  readonly statusCode: number;
  readonly body: { status: string; details: Record<string, { status: string }> };
}

/** GET /health/ready through fastify's inject, no port needed */
export async function readiness(app: NestFastifyApplication): Promise<Readiness> {
  const res = await app.inject({ method: 'GET', url: '/health/ready' });
  return { statusCode: res.statusCode, body: res.json() };
}
