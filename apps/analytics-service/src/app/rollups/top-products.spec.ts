import { topProducts } from './top-products';

describe('topProducts', () => {
  it('keeps the largest, ties by product id', () => {
    const totals = new Map([
      ['b', 2],
      ['c', 5],
      ['a', 2],
    ]);
    expect(topProducts(totals)).toEqual([
      { productId: 'c', quantity: 5 },
      { productId: 'a', quantity: 2 },
      { productId: 'b', quantity: 2 },
    ]);
  });

  it('keeps at most n', () => {
    const many = new Map(Array.from({ length: 15 }, (_, i) => [`p-${String(i).padStart(2, '0')}`, i] as [string, number]));
    const top = topProducts(many);
    expect(top).toHaveLength(10);
    expect(top[0]).toEqual({ productId: 'p-14', quantity: 14 });
    expect(top[9]).toEqual({ productId: 'p-05', quantity: 5 });
  });

  it('picks what a full sort would, in any order of arrival', () => {
    // quantities with many ties, in a shuffled order: the one-pass selection against sort-then-slice
    let seed = 7;
    const random = () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;
    const entries = Array.from({ length: 2_000 }, (_, i) => [`p-${i}`, Math.floor(random() * 40)] as [string, number]);
    for (let i = entries.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [entries[i], entries[j]] = [entries[j], entries[i]];
    }
    const sorted = entries
      .map(([productId, quantity]) => ({ productId, quantity }))
      .sort((a, b) => b.quantity - a.quantity || (a.productId < b.productId ? -1 : 1));
    for (const n of [1, 10, 25]) expect(topProducts(new Map(entries), n)).toEqual(sorted.slice(0, n));
  });

  it('gives none for n 0 and all of a short list', () => {
    expect(topProducts(new Map([['a', 1]]), 0)).toEqual([]);
    expect(topProducts(new Map([['a', 1]]))).toEqual([{ productId: 'a', quantity: 1 }]);
  });
});
