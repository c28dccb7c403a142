/** at or below this many, search shows a product's exact stock; above it, only that there are more */
export const LOW_STOCK = 10;

const shown = (stock: number): number => (stock <= LOW_STOCK ? stock : Infinity);

/**
 * whether an order's stock move changes what search shows, and so is worth a product.upserted:
 * going out of stock or back in, entering or leaving the last LOW_STOCK, and every move among them.
 * orders move a popular product's stock far more often than anyone edits it, and re-indexing the
 * product on every order was the saga's largest single cost (elasticsearch, docs/performance.md).
 * catalog edits publish always; the product's own reads (GET /api/products/:id) are exact always.
 */
export function searchSeesMove(before: number, after: number): boolean {
  return shown(before) !== shown(after);
}
