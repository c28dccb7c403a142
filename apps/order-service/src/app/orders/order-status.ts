export const ORDER_STATUSES = ['PENDING', 'CONFIRMED', 'REJECTED', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** what moves an order: the saga's answers, and the customer's cancel */
export type OrderTransition = 'confirm' | 'reject' | 'cancel';

const NEXT: Record<OrderStatus, Partial<Record<OrderTransition, OrderStatus>>> = {
  PENDING: { confirm: 'CONFIRMED', reject: 'REJECTED', cancel: 'CANCELLED' },
  CONFIRMED: { cancel: 'CANCELLED' },
  REJECTED: {},
  CANCELLED: {},
};

export class IllegalTransitionError extends Error {
  constructor(
    readonly from: OrderStatus,
    readonly transition: OrderTransition,
  ) {
    super(
      `an order that is ${from} cannot ${transition === 'cancel' ? 'be cancelled' : transition === 'confirm' ? 'be confirmed' : 'be rejected'}`,
    );
  }
}

/** the status after `transition`, or an IllegalTransitionError */
export function nextStatus(from: OrderStatus, transition: OrderTransition): OrderStatus {
  const to = NEXT[from][transition];
  if (!to) throw new IllegalTransitionError(from, transition);
  return to;
}
