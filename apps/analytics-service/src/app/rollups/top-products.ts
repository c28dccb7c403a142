export interface ProductQuantity {
  readonly productId: string;
  readonly quantity: number;
}

export const TOP_PRODUCTS = 10;

// a before b: more sold, or as many and the smaller product id
const ahead = (a: ProductQuantity, b: ProductQuantity): boolean =>
  a.quantity > b.quantity || (a.quantity === b.quantity && a.productId < b.productId);

/**
 * the `n` products sold most, ties by productId, from the window's quantities per product. one pass
 * that keeps the best n in order: a year's catalog holds tens of thousands of products, and sorting
 * them all to keep ten took as long as reading them
 */
export function topProducts(totals: ReadonlyMap<string, number>, n = TOP_PRODUCTS): ProductQuantity[] {
  const top: ProductQuantity[] = [];
  if (n <= 0) return top;
  for (const [productId, quantity] of totals) {
    const candidate = { productId, quantity };
    if (top.length === n && !ahead(candidate, top[n - 1])) continue;
    let i = top.length === n ? n - 1 : top.length;
    for (; i > 0 && ahead(candidate, top[i - 1]); i--) top[i] = top[i - 1];
    top[i] = candidate;
  }
  return top;
}
