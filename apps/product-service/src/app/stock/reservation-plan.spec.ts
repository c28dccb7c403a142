import { mergeLines, planTakes, rejectionReason, totalOf, type StockedProduct } from './reservation-plan';

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

describe('planTakes', () => {
  const none = () => false;
  const order = (orderId: string, ...lines: [string, number][]) => ({
    orderId,
    lines: lines.map(([productId, quantity]) => ({ productId, quantity })),
  });

  it('takes for the orders one after the other, until the stock runs short', () => {
    const plan = planTakes([order('o1', ['a', 2]), order('o2', ['a', 2]), order('o3', ['a', 1])], catalog(product('a', 3)), none);
    expect(plan.fits).toEqual(['o1', 'o3']);
    expect(plan.rest).toEqual(['o2']);
    expect(plan.moves.get('a')).toEqual({ quantity: 3, orders: ['o1', 'o3'] });
  });

  it("takes all of an order's items or none: a short item leaves the others for the orders after it", () => {
    const plan = planTakes([order('o1', ['a', 1], ['b', 5]), order('o2', ['a', 1])], catalog(product('a', 1), product('b', 4)), none);
    expect(plan.fits).toEqual(['o2']);
    expect(plan.rest).toEqual(['o1']);
    expect([...plan.moves]).toEqual([['a', { quantity: 1, orders: ['o2'] }]]);
  });

  it('counts what an earlier delivery took for the order as held, and moves it no more', () => {
    const plan = planTakes([order('o1', ['a', 2], ['b', 1])], catalog(product('a', 0), product('b', 1)), (p, o) => p === 'a' && o === 'o1');
    expect(plan.fits).toEqual(['o1']);
    expect([...plan.moves]).toEqual([['b', { quantity: 1, orders: ['o1'] }]]);
  });

  it('leaves an order with an unknown product or mixed currencies to the one-order way, taking nothing', () => {
    const plan = planTakes(
      [order('o1', ['a', 1], ['x', 1]), order('o2', ['a', 1], ['usd', 1])],
      catalog(product('a', 5), product('usd', 5, 'USD')),
      none,
    );
    expect(plan.fits).toEqual([]);
    expect(plan.rest).toEqual(['o1', 'o2']);
    expect(plan.moves.size).toBe(0);
  });
});
