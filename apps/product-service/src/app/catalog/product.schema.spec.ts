import { PRODUCTS } from './product.schema';

describe('the products collection', () => {
  it("indexes the list's order, so a page of the catalog is not sorted out of every product", () => {
    // ProductsRepository.list sorts by { createdAt: 1, _id: 1 }
    expect(PRODUCTS.indexes?.map((i) => i.key)).toContainEqual({ createdAt: 1, _id: 1 });
  });

  it('keeps each SKU once', () => {
    expect(PRODUCTS.indexes).toContainEqual({ key: { sku: 1 }, unique: true });
  });
});
