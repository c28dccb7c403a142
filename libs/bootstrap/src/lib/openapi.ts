import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { OpenApiOptions } from './service-options';

export const DOCS_PATH = 'docs';

/** swagger ui at /docs, the document at /docs-json */
export function setupOpenApi(app: INestApplication, name: string, openapi: OpenApiOptions = { title: name }): void {
  const config = new DocumentBuilder()
    .setTitle(openapi.title)
    .setDescription(openapi.description ?? '')
    .setVersion(openapi.version ?? '1.0.0')
    // the scheme @ApiBearerAuth() refers to: access tokens from user-service (@ecom/auth)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  SwaggerModule.setup(DOCS_PATH, app, () => SwaggerModule.createDocument(app, config), {
    jsonDocumentUrl: `${DOCS_PATH}-json`,
    yamlDocumentUrl: `${DOCS_PATH}-yaml`,
  });
}
