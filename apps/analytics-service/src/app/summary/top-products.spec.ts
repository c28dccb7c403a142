import { topProducts } from './top-products';

describe('topProducts', () => {
  it('adds up quantities across days and keeps the largest, ties by product id', () => {
    const days = [
      new Map([
        ['b', 2],
        ['a', 1],
      ]),
      new Map([
        ['a', 1],
        ['c', 5],
      ]),
    ];
    expect(topProducts(days)).toEqual([
      { productId: 'c', quantity: 5 },
      { productId: 'a', quantity: 2 },
      { productId: 'b', quantity: 2 },
    ]);
  });

  it('keeps at most n', () => {
    const many = new Map(Array.from({ length: 15 }, (_, i) => [`p-${String(i).padStart(2, '0')}`, i] as [string, number]));
    const top = topProducts([many]);
    expect(top).toHaveLength(10);
    expect(top[0]).toEqual({ productId: 'p-14', quantity: 14 });
    expect(top[9]).toEqual({ productId: 'p-05', quantity: 5 });
  });
});
