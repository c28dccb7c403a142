import { createHash } from 'node:crypto';
import type { OrderItemRequest } from './place-order.request.dto';

export interface OrderLine {
  readonly productId: string;
  readonly quantity: number;
}

/** one line per product, in the order they first appear, quantities added up */
export function mergeItems(items: readonly OrderItemRequest[]): OrderLine[] {
  const lines = new Map<string, number>();
  for (const { productId, quantity } of items) lines.set(productId, (lines.get(productId) ?? 0) + quantity);
  return [...lines].map(([productId, quantity]) => ({ productId, quantity }));
}

/** identifies a request body, so a reused Idempotency-Key with a different body is caught */
export function fingerprint(items: readonly OrderItemRequest[]): string {
  return createHash('sha256')
    .update(JSON.stringify(items.map((i) => [i.productId, i.quantity])))
    .digest('hex');
}

// visible ASCII, as the IETF draft's examples; long enough for a UUID or a client's own scheme
const KEY = /^[\x21-\x7e]{1,255}$/;

/** null when the header is fine (or absent), else what is wrong with it */
export function idempotencyKeyProblem(key: string | undefined): string | null {
  if (key === undefined) return null;
  return KEY.test(key) ? null : 'Idempotency-Key must be 1-255 visible ASCII characters';
}
