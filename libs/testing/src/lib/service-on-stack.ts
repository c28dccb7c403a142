import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createServiceApp, managementServer, type ServiceOptions } from '@ecom/bootstrap';
import type { ConfigPiece } from '@ecom/config';
import { openApiGaps } from './openapi-gaps';
import { readiness } from './readiness';
import { waitFor } from './wait-for';

/**
 * the checks every service passes on the real stack: it boots, sets up its stores, reports
 * exactly `dependencies` up in /health/ready (the management listener's details), and serves its OpenAPI document there.
 */
export function describeServiceOnStack<const P extends readonly ConfigPiece[]>(
  service: ServiceOptions<P>,
  dependencies: readonly string[],
): void {
  describe(`${service.name} on the real stack`, () => {
    let app: NestFastifyApplication;

    beforeAll(async () => {
      app = await createServiceApp(service);
    });

    afterAll(async () => {
      await app?.close();
    });

    it('connects to every store it needs and reports each one up', async () => {
      const ready = await waitFor('/health/ready to answer 200', async () => {
        const r = await readiness(app);
        return r.statusCode === 200 && r;
      });
      expect(Object.keys(ready.body.details).sort()).toEqual([...dependencies].sort());
      expect(Object.values(ready.body.details).every((d) => d.status === 'up')).toBe(true);
    });

    it('tells anonymous callers of the public port only that it is ready', async () => {
      const res = await app.inject({ method: 'GET', url: '/health/ready' });
      expect([res.statusCode, res.json()]).toEqual([200, { status: 'ok' }]);
    });

    it('serves a complete OpenAPI document: every route with its responses, and the bearer scheme', async () => {
      const res = await managementServer(app).inject({ method: 'GET', url: '/docs-json' });
      expect(res.statusCode).toBe(200);
      expect(res.json().info.title).toBe(service.openapi?.title);
      expect(openApiGaps(res.json())).toEqual([]);
    });
  });
}
