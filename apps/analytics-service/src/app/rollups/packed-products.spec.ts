import { packProducts, unpackProducts } from './packed-products';

describe('packed products', () => {
  it('gives back the quantities it packed, product by product', () => {
    const products = new Map([
      ['p-1', 3],
      ['p-2', 0],
      ['p-3', 9_007_199_254_740_991],
    ]);
    expect(unpackProducts(packProducts(products))).toEqual(products);
  });

  it('packs no products as an empty blob of arrays, not as a missing column', () => {
    expect(unpackProducts(packProducts(new Map()))).toEqual(new Map());
  });

  it('refuses arrays of different lengths rather than pairing the wrong quantities', () => {
    expect(() => unpackProducts(Buffer.from(JSON.stringify({ ids: ['a', 'b'], quantities: [1] })))).toThrow(/same length/);
  });
});
