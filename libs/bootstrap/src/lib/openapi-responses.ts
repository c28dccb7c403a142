import type { OpenAPIObject } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE, VALIDATION_PROBLEM_TYPE } from '@ecom/http';

/** the component every error response refers to */
export const PROBLEM_SCHEMA_NAME = 'ProblemDetails';

/** RFC 9457 problem details as ProblemDetailsFilter and frameworkProblem write them */
const PROBLEM_SCHEMA = {
  type: 'object',
  description: 'Every error, from every service and the gateway: RFC 9457 problem details.',
  required: ['type', 'title', 'status'],
  properties: {
    type: {
      type: 'string',
      example: 'about:blank',
      description: `about:blank, or ${VALIDATION_PROBLEM_TYPE} when errors lists the invalid fields`,
    },
    title: { type: 'string', example: 'Not Found' },
    status: { type: 'integer', minimum: 400, maximum: 599, example: 404 },
    detail: { type: 'string' },
    instance: { type: 'string', description: 'the path of the request (never its query)' },
    correlationId: { type: 'string', description: 'quote it when reporting a problem' },
    errors: {
      type: 'array',
      description: 'validation problems only: each invalid field',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: {
          field: { type: 'string', example: 'limit' },
          message: { type: 'string', example: 'limit must not be greater than 100' },
        },
      },
    },
  },
};

const problemContent = () => ({ [PROBLEM_CONTENT_TYPE]: { schema: { $ref: `#/components/schemas/${PROBLEM_SCHEMA_NAME}` } } });

interface Operation {
  parameters?: { in?: string }[];
  requestBody?: unknown;
  security?: unknown[];
  responses?: Record<string, { description?: string; content?: unknown }>;
}

/**
 * what any route can answer, whatever its controller says (added where a controller did not):
 *   400 a query, path or body the route refuses (the validation pipe, a URL that does not decode,
 *       a JSON body that does not parse, nests too deep or is not text)
 *   401 a route that needs a bearer token, without a valid one
 *   413 a body over the size limit; 415 a body that is not JSON
 *   414 a path parameter longer than the router takes
 *   503 a store the route needs is unavailable, or the service is shutting down (Retry-After)
 */
function standardResponses(op: Operation): Record<string, string> {
  const params = op.parameters ?? [];
  return {
    '400': 'The request is malformed or invalid; a validation problem lists each invalid field',
    ...(op.security?.length && { '401': 'No valid bearer token' }),
    ...(op.requestBody !== undefined && {
      '413': 'The body is larger than the limit (1 MB)',
      '415': 'The body is not application/json',
    }),
    ...(params.some((p) => p.in === 'path') && { '414': 'A path parameter is longer than 100 characters' }),
    '503': 'A store this request needs is unavailable, or the service is shutting down; retry after Retry-After seconds',
  };
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];

/**
 * completes a service's document so that it lists every status its routes really answer: the
 * standard ones above, and every error (4xx, 5xx) as application/problem+json with its schema
 */
export function withStandardResponses(document: OpenAPIObject): OpenAPIObject {
  document.components ??= {};
  document.components.schemas ??= {};
  document.components.schemas[PROBLEM_SCHEMA_NAME] ??= PROBLEM_SCHEMA as never;
  for (const item of Object.values(document.paths ?? {})) {
    for (const method of METHODS) {
      const op = (item as Record<string, Operation | undefined>)[method];
      if (!op) continue;
      const responses = (op.responses ??= {});
      for (const [status, description] of Object.entries(standardResponses(op))) responses[status] ??= { description };
      for (const [status, response] of Object.entries(responses)) {
        if (Number(status) >= 400 && !response.content) response.content = problemContent();
      }
    }
  }
  return document;
}
