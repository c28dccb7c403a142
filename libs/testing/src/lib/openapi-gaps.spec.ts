import { openApiGaps } from './openapi-gaps';

const scheme = { components: { securitySchemes: { bearer: { type: 'http' } } } };

describe('openApiGaps', () => {
  it('finds nothing in a complete document', () => {
    expect(
      openApiGaps({
        ...scheme,
        paths: {
          '/a': {
            get: { responses: { '200': {} } },
            post: { security: [{ bearer: [] }], requestBody: {}, responses: { '201': {}, '400': {}, '401': {} } },
          },
        },
      }),
    ).toEqual([]);
  });

  it('names each gap', () => {
    expect(
      openApiGaps({
        paths: {
          '/a': { get: { parameters: [{ in: 'query' }], responses: { '404': {} } } },
          '/b': { post: { security: [{ bearer: [] }], requestBody: {}, responses: { '201': {} } } },
        },
      }),
    ).toEqual([
      'no bearer security scheme',
      'GET /a: no success response',
      'GET /a: validates input but documents no 400',
      'POST /b: needs a token but documents no 401',
      'POST /b: validates input but documents no 400',
    ]);
  });
});
