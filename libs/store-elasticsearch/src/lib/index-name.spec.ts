import { indexName } from './elasticsearch.module';

describe('indexName', () => {
  it('prefixes the logical index name', () => {
    expect(indexName({ indexPrefix: 'products' }, 'catalog')).toBe('products-catalog');
  });
});
