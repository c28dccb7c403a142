import { errors } from '@elastic/elasticsearch';
import { isIndexAlreadyExists } from './ensure-index';

const responseError = (statusCode: number, type: string) =>
  new errors.ResponseError({ body: { error: { type } }, statusCode, headers: {}, warnings: null, meta: {} as never });

describe('isIndexAlreadyExists', () => {
  it('matches the 400 es answers when another replica created the index first', () => {
    expect(isIndexAlreadyExists(responseError(400, 'resource_already_exists_exception'))).toBe(true);
  });

  it('lets every other failure through', () => {
    expect(isIndexAlreadyExists(responseError(400, 'mapper_parsing_exception'))).toBe(false);
    expect(isIndexAlreadyExists(responseError(503, 'resource_already_exists_exception'))).toBe(false);
    expect(isIndexAlreadyExists(new Error('resource_already_exists_exception'))).toBe(false);
  });
});
