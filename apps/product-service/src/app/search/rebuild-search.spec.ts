import { rebuildIndexName } from './rebuild-search';

describe('rebuildIndexName', () => {
  it('names the new index after the mapping version and the time, in the lower case es requires', () => {
    expect(rebuildIndexName({ indexPrefix: 'products' }, new Date('2026-12-01T21:30:05.123Z'))).toBe(
      'products-catalog-v2-r20261201t213005',
    );
  });
});
