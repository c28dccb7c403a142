import { LOW_STOCK, searchSeesMove } from './search-visible-stock';

describe('searchSeesMove', () => {
  it('is silent while plenty stays plenty', () => {
    expect(searchSeesMove(1_000, 999)).toBe(false);
    expect(searchSeesMove(LOW_STOCK + 2, LOW_STOCK + 1)).toBe(false);
    expect(searchSeesMove(LOW_STOCK + 1, LOW_STOCK + 5)).toBe(false);
  });

  it('tells when a product enters or leaves the last few, and on every move among them', () => {
    expect(searchSeesMove(LOW_STOCK + 1, LOW_STOCK)).toBe(true);
    expect(searchSeesMove(LOW_STOCK, LOW_STOCK + 1)).toBe(true);
    expect(searchSeesMove(500, 3)).toBe(true);
    expect(searchSeesMove(LOW_STOCK, LOW_STOCK - 1)).toBe(true);
    expect(searchSeesMove(2, 1)).toBe(true);
  });

  it('tells when a product sells out and when it is back', () => {
    expect(searchSeesMove(1, 0)).toBe(true);
    expect(searchSeesMove(0, 1)).toBe(true);
  });
});
