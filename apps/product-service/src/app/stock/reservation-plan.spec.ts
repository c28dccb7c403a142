import { mergeLines, rejectionReason, totalOf, type StockedProduct } from './reservation-plan';

const product = (id: string, stock: number, currency = 'EUR'): StockedProduct => ({
  _id: id,
  sku: `sku-${id}`,
  stock,
  price: { amount: 250, currency },
});
const catalog = (...ps: StockedProduct[]) => new Map(ps.map((p) => [p._id, p]));

describe('mergeLines', () => {
  it('adds up repeated products and sorts by product id', () => {
    expect(
      mergeLines([
        { productId: 'b', quantity: 1 },
        { productId: 'a', quantity: 2 },
        { productId: 'b', quantity: 3 },
      ]),
    ).toEqual([
      { productId: 'a', quantity: 2 },
      { productId: 'b', quantity: 4 },
    ]);
  });
});

describe('rejectionReason', () => {
  it('accepts an order the stock covers exactly', () => {
    expect(rejectionReason([{ productId: 'a', quantity: 3 }], catalog(product('a', 3)))).toBeNull();
  });

  it('names the product that is short, with what was asked and what is left', () => {
    expect(rejectionReason([{ productId: 'a', quantity: 4 }], catalog(product('a', 3)))).toBe(
      'insufficient stock for sku-a: requested 4, available 3',
    );
  });

  it('names a product that does not exist', () => {
    expect(rejectionReason([{ productId: 'zz', quantity: 1 }], catalog())).toBe('product zz does not exist');
  });

  it('refuses items priced in different currencies', () => {
    const reason = rejectionReason(
      [
        { productId: 'a', quantity: 1 },
        { productId: 'b', quantity: 1 },
      ],
      catalog(product('a', 5), product('b', 5, 'USD')),
    );
    expect(reason).toBe('the items are priced in different currencies (EUR, USD)');
  });
});

describe('totalOf', () => {
  it('multiplies unit prices by quantities in minor units', () => {
    const line = (quantity: number, amount: number) => ({
      productId: 'p',
      sku: 's',
      name: 'n',
      quantity,
      unitPrice: { amount, currency: 'EUR' },
    });
    expect(totalOf([line(2, 1250), line(3, 199)])).toEqual({ amount: 3097, currency: 'EUR' });
  });
});
