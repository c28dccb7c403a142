import { PRODUCTS } from './product.schema';

describe('the products collection', () => {
  it("indexes the list's filter and order, so a page or a total is not read out of every product", () => {
    // ProductsRepository.list: { deletedAt: null, category? } sorted by { createdAt: 1, _id: 1 }
    const keys = PRODUCTS.indexes?.map((i) => JSON.stringify(i.key));
    expect(keys).toContain(JSON.stringify({ deletedAt: 1, createdAt: 1, _id: 1 }));
    expect(keys).toContain(JSON.stringify({ category: 1, deletedAt: 1, createdAt: 1, _id: 1 }));
    // the index the list used before, which costs every write and serves nothing now
    expect(PRODUCTS.retiredIndexes).toEqual(['createdAt_1__id_1']);
  });

  it('keeps each SKU once', () => {
    expect(PRODUCTS.indexes).toContainEqual({ key: { sku: 1 }, unique: true });
  });
});
