import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createServiceApp } from '@ecom/bootstrap';
import { readiness, waitFor } from '@ecom/testing';
import { productService } from '../src/app/product.service';

describe('product-service on the real stack', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createServiceApp(productService);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('connects to every store it needs and reports each one up', async () => {
    const ready = await waitFor('/health/ready to answer 200', async () => {
      const r = await readiness(app);
      return r.statusCode === 200 && r;
    });
    expect(Object.keys(ready.body.details).sort()).toEqual(['elasticsearch', 'kafka', 'mongodb', 'redis']);
    expect(Object.values(ready.body.details).every((d) => d.status === 'up')).toBe(true);
  });

  it('serves its OpenAPI document', async () => {
    const res = await app.inject({ method: 'GET', url: '/docs-json' });
    expect(res.statusCode).toBe(200);
    expect(res.json().info.title).toBe(productService.openapi.title);
  });
});
