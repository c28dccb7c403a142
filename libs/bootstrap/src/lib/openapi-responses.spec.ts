import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createServiceApp } from './create-service-app';
import { managementServer } from './management';
import { PROBLEM_SCHEMA_NAME } from './openapi-responses';
import { thingsService } from './things.spec-helper';

describe('the OpenAPI document of a service', () => {
  let app: NestFastifyApplication;
  type Responses = Record<string, { content?: Record<string, unknown> }>;
  let doc: {
    paths: Record<string, { get: { responses: Responses }; post: { responses: Responses } }>;
    components: { schemas: Record<string, { required?: string[] }> };
  };

  beforeAll(async () => {
    app = await createServiceApp(thingsService, { env: { LOG_LEVEL: 'silent' } });
    doc = (await managementServer(app).inject({ method: 'GET', url: '/docs-json' })).json();
  });
  afterAll(() => app.close());

  it('lists what any route answers: 400 and 503 everywhere, 413 and 415 where a body is taken', () => {
    expect(Object.keys(doc.paths['/things'].get.responses).sort()).toEqual(['200', '400', '503']);
    expect(Object.keys(doc.paths['/things'].post.responses).sort()).toEqual(['201', '400', '413', '415', '503']);
  });

  it('describes every error as problem+json with one schema', () => {
    const problem = { 'application/problem+json': { schema: { $ref: `#/components/schemas/${PROBLEM_SCHEMA_NAME}` } } };
    expect(doc.paths['/things'].post.responses['415'].content).toEqual(problem);
    expect(doc.paths['/things'].get.responses['503'].content).toEqual(problem);
    expect(doc.components.schemas[PROBLEM_SCHEMA_NAME].required).toEqual(['type', 'title', 'status']);
  });
});
