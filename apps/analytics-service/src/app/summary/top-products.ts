export interface ProductQuantity {
  readonly productId: string;
  readonly quantity: number;
}

export const TOP_PRODUCTS = 10;

/** adds up quantities per product across day slices, then keeps the `n` largest; ties by productId */
export function topProducts(perSlice: Iterable<ReadonlyMap<string, number>>, n = TOP_PRODUCTS): ProductQuantity[] {
  const totals = new Map<string, number>();
  for (const slice of perSlice) for (const [productId, q] of slice) totals.set(productId, (totals.get(productId) ?? 0) + q);
  return [...totals]
    .map(([productId, quantity]) => ({ productId, quantity }))
    .sort((a, b) => b.quantity - a.quantity || (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0))
    .slice(0, n);
}
