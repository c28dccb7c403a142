import type { Money } from '@ecom/events';
import { outboxIndex, type CollectionSpec, type OutboxFields } from '@ecom/store-mongo';

/**
 * reserving: stock is being taken item by item -> reserved: every item is held for the order.
 * rejecting (with the reason): what was taken is going back -> rejected: nothing is held.
 * releasing: the order was cancelled and its items are going back -> released.
 * reserved, rejected and released are settled; the others are resumed by the next delivery.
 */
export type ReservationState = 'reserving' | 'reserved' | 'rejecting' | 'rejected' | 'releasing' | 'released';

export interface ReservationLine {
  productId: string;
  quantity: number;
  /** filled from the catalog when the item is taken */
  sku?: string;
  name?: string;
  unitPrice?: Money;
}

/** one per order: the product side's record of the saga, and the outbox of its stock events */
export interface ReservationDocument extends OutboxFields {
  _id: string;
  userId: string;
  state: ReservationState;
  lines: ReservationLine[];
  reason?: string;
  createdAt: Date;
  updatedAt: Date;
}

/** the stock_reservations collection (ReservationsRepository), keyed by order id */
export const RESERVATIONS: CollectionSpec = { name: 'stock_reservations', indexes: [outboxIndex] };
