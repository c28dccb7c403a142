import type { INestApplication } from '@nestjs/common';
import type { FastifyAdapter } from '@nestjs/platform-fastify';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { withStandardResponses } from './openapi-responses';
import type { OpenApiOptions } from './service-options';

export const DOCS_PATH = 'docs';

/** the service's OpenAPI document, built from the app's routes on first use and kept */
export function openApiDocument(app: INestApplication, name: string, openapi: OpenApiOptions = { title: name }): () => OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(openapi.title)
    .setDescription(openapi.description ?? '')
    .setVersion(openapi.version ?? '1.0.0')
    // the scheme @ApiBearerAuth() refers to: access tokens from user-service (@ecom/auth)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  let document: OpenAPIObject | undefined;
  // with what every route can answer (400, 401, 413-415, 503) and every error's problem+json schema
  return () => (document ??= withStandardResponses(SwaggerModule.createDocument(app, config)));
}

/**
 * swagger ui at /docs, the document at /docs-json and /docs-yaml, on the given adapter: the
 * management listener's, so the public port does not describe every route to whoever asks
 */
export function serveOpenApi(adapter: FastifyAdapter, document: () => OpenAPIObject): void {
  // SwaggerModule.setup asks the "app" only for its adapter, its static assets and its global prefix (none)
  const host = {
    getHttpAdapter: () => adapter,
    useStaticAssets: (options: unknown) => adapter.useStaticAssets(options as never),
  } as unknown as INestApplication;
  SwaggerModule.setup(DOCS_PATH, host, document, {
    jsonDocumentUrl: `${DOCS_PATH}-json`,
    yamlDocumentUrl: `${DOCS_PATH}-yaml`,
  });
}
