import { IllegalTransitionError, nextStatus, ORDER_STATUSES, type OrderTransition } from './order-status';

describe('order status machine', () => {
  it.each([
    ['PENDING', 'confirm', 'CONFIRMED'],
    ['PENDING', 'reject', 'REJECTED'],
    ['PENDING', 'cancel', 'CANCELLED'],
    ['CONFIRMED', 'cancel', 'CANCELLED'],
  ] as const)('%s --%s--> %s', (from, t, to) => {
    expect(nextStatus(from, t)).toBe(to);
  });

  it('refuses every other move, saying why', () => {
    const legal = new Set(['PENDING:confirm', 'PENDING:reject', 'PENDING:cancel', 'CONFIRMED:cancel']);
    const transitions: OrderTransition[] = ['confirm', 'reject', 'cancel'];
    const illegal = ORDER_STATUSES.flatMap((from) => transitions.filter((t) => !legal.has(`${from}:${t}`)).map((t) => [from, t] as const));
    expect(illegal).toHaveLength(8);
    for (const [from, t] of illegal) expect(() => nextStatus(from, t)).toThrow(IllegalTransitionError);
    expect(() => nextStatus('CANCELLED', 'cancel')).toThrow('an order that is CANCELLED cannot be cancelled');
  });
});
