import { BadRequestException } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import { errors, type Client } from '@elastic/elasticsearch';
import { plainToInstance } from 'class-transformer';
import { SearchProductsQuery } from './search-products.query.dto';
import { SearchProductsService } from './search-products.service';

const config = { getOrThrow: () => ({ node: 'http://es:9200', indexPrefix: 'test' }) } as unknown as ConfigService;
const refusal = (statusCode: number) =>
  new errors.ResponseError({
    body: { error: { type: 'search_phase_execution_exception', reason: 'multi_match on [name^3] failed' } },
    statusCode,
    headers: {},
    warnings: null,
    meta: {} as never,
  });
const serviceFailingWith = (e: Error) => new SearchProductsService({ search: () => Promise.reject(e) } as unknown as Client, config);
const query = plainToInstance(SearchProductsQuery, { q: 'tea' });

describe('SearchProductsService when elasticsearch refuses a query', () => {
  it('answers a plain 400 that shows nothing of the query', async () => {
    const error = await serviceFailingWith(refusal(400))
      .search(query)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestException);
    expect((error as BadRequestException).message).toBe('the search could not be run with these parameters');
  });

  it('passes an overloaded or failing cluster on to the problem filter (503 or 500), not as a 400', async () => {
    for (const status of [429, 500, 503]) {
      const error = await serviceFailingWith(refusal(status))
        .search(query)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(errors.ResponseError);
    }
  });
});
