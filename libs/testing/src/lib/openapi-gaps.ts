interface Operation {
  readonly responses?: Record<string, unknown>;
  readonly security?: readonly unknown[];
  readonly requestBody?: unknown;
  readonly parameters?: readonly { readonly in: string; readonly required?: boolean }[];
}

export interface OpenApiDocument {
  readonly paths: Record<string, Record<string, Operation>>;
  readonly components?: { readonly securitySchemes?: Record<string, unknown> };
}

const METHODS = new Set(['get', 'put', 'post', 'patch', 'delete']);

/**
 * what a service's OpenAPI document leaves out, one line per gap: an operation without a success
 * response, a secured one without 401, one that takes a body or query without 400, a missing scheme
 */
export function openApiGaps(doc: OpenApiDocument): string[] {
  const gaps: string[] = [];
  if (!doc.components?.securitySchemes?.['bearer']) gaps.push('no bearer security scheme');
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.has(method)) continue;
      const where = `${method.toUpperCase()} ${path}`;
      const codes = Object.keys(op.responses ?? {});
      if (!codes.some((c) => /^[23]\d\d$/.test(c))) gaps.push(`${where}: no success response`);
      if (op.security?.length && !codes.includes('401')) gaps.push(`${where}: needs a token but documents no 401`);
      const validated = op.requestBody !== undefined || (op.parameters ?? []).some((p) => p.in === 'query');
      if (validated && !codes.includes('400')) gaps.push(`${where}: validates input but documents no 400`);
    }
  }
  return gaps;
}
