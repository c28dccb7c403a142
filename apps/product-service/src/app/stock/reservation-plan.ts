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

export interface OrderLines {
  readonly orderId: string;
  readonly lines: readonly ReservationLine[];
}

export interface TakePlan {
  /** per product: how much stock goes, and the orders it goes to (each one's marker goes with it) */
  readonly moves: ReadonlyMap<string, { readonly quantity: number; readonly orders: readonly string[] }>;
  /** the orders all of whose items are held once the moves are written, in the batch's order */
  readonly fits: readonly string[];
  /** the others (an item short, gone, or priced in another currency), left for the one-order way, which rejects them with the reason */
  readonly rest: readonly string[];
}

/**
 * how a batch of orders takes stock, one order after the other as if they came one by one: an order
 * takes all of its items from what the orders before it left, or none. `taken` says whether an
 * earlier delivery already took the product for the order; that item counts as held and moves nothing.
 */
export function planTakes(
  orders: readonly OrderLines[],
  products: ReadonlyMap<string, StockedProduct>,
  taken: (productId: string, orderId: string) => boolean,
): TakePlan {
  const left = new Map([...products].map(([id, p]) => [id, p.stock]));
  const moves = new Map<string, { quantity: number; orders: string[] }>();
  const fits: string[] = [];
  const rest: string[] = [];
  for (const { orderId, lines } of orders) {
    const currencies = new Set<string>();
    const takes = lines.filter((l) => !taken(l.productId, orderId));
    const fit = lines.every((l) => {
      const p = products.get(l.productId);
      if (p) currencies.add(p.price.currency);
      return p !== undefined && (!takes.includes(l) || (left.get(l.productId) ?? 0) >= l.quantity);
    });
    if (!fit || currencies.size > 1) {
      rest.push(orderId);
      continue;
    }
    for (const l of takes) {
      left.set(l.productId, (left.get(l.productId) ?? 0) - l.quantity);
      const move = moves.get(l.productId) ?? { quantity: 0, orders: [] };
      move.quantity += l.quantity;
      move.orders.push(orderId);
      moves.set(l.productId, move);
    }
    fits.push(orderId);
  }
  return { moves, fits, rest };
}
