import { productSchema } from './product.schema';

describe('productSchema', () => {
  it("indexes the list's order, so a page of the catalog is not sorted out of every product", () => {
    // ProductsRepository.list sorts by { createdAt: 1, _id: 1 }
    expect(productSchema.indexes().map(([keys]) => keys)).toContainEqual({ createdAt: 1, _id: 1 });
  });
});
