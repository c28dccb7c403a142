import { indexName } from './elasticsearch.module';

describe('indexName', () => {
  it('prefixes the logical index name', () => {
    expect(indexName({ node: 'http://x', indexPrefix: 'products', indexReplicas: 0 }, 'catalog')).toBe('products-catalog');
  });
});
