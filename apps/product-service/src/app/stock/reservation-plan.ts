import type { Money } from '@ecom/events';
import type { ReservationLine } from './reservation.schema';

export interface RequestedLine {
  readonly productId: string;
  readonly quantity: number;
}

export interface StockedProduct {
  readonly _id: string;
  readonly sku: string;
  readonly stock: number;
  readonly price: Money;
}

/** one line per product, quantities added up, in a fixed order so every attempt takes items alike */
export function mergeLines(lines: readonly RequestedLine[]): ReservationLine[] {
  const byProduct = new Map<string, number>();
  for (const l of lines) byProduct.set(l.productId, (byProduct.get(l.productId) ?? 0) + l.quantity);
  return [...byProduct].sort(([a], [b]) => a.localeCompare(b)).map(([productId, quantity]) => ({ productId, quantity }));
}

export const goneReason = (productId: string) => `product ${productId} does not exist`;
export const shortReason = (sku: string, requested: number, available: number) =>
  `insufficient stock for ${sku}: requested ${requested}, available ${available}`;

/** why the order cannot be served from what the catalog holds now, or null when it can */
export function rejectionReason(lines: readonly ReservationLine[], products: ReadonlyMap<string, StockedProduct>): string | null {
  const currencies = new Set<string>();
  for (const line of lines) {
    const p = products.get(line.productId);
    if (!p) return goneReason(line.productId);
    if (p.stock < line.quantity) return shortReason(p.sku, line.quantity, p.stock);
    currencies.add(p.price.currency);
  }
  if (currencies.size > 1) return `the items are priced in different currencies (${[...currencies].sort().join(', ')})`;
  return null;
}

/** the order's total from the catalog's unit prices */
export function totalOf(lines: readonly Required<ReservationLine>[]): Money {
  return {
    amount: lines.reduce((sum, l) => sum + l.unitPrice.amount * l.quantity, 0),
    currency: lines[0].unitPrice.currency,
  };
}
