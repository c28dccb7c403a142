import { createEnvelope, Topics } from '@ecom/events';
import { createdAtMsOf, notificationIdOf } from './notification';
import {
  formatMoney,
  orderCancelledNotification,
  orderConfirmedNotification,
  orderRejectedNotification,
  welcomeNotification,
} from './render-notification';

const at = '2025-03-01T12:00:00.000Z';
const envelope = <T extends Parameters<typeof createEnvelope>[0]>(topic: T, payload: Parameters<typeof createEnvelope<T>>[1]) => ({
  ...createEnvelope(topic, payload, { key: 'k' }),
  occurredAt: at,
});

describe('notification ids', () => {
  it('are the same for every delivery of an event, and carry its time', () => {
    const event = envelope(Topics.OrderCancelled, { orderId: 'o-1', userId: 'u-1' });
    const id = notificationIdOf(event);
    expect(notificationIdOf({ ...event })).toBe(id);
    expect(id).toContain(event.id);
    expect(createdAtMsOf(id)).toBe(Date.parse(at));
  });

  it.each(['', 'nope', '123', `zzzzzzzzzzzz-${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}`, 'm7pd0a68-not-a-uuid'])(
    'refuses %j',
    (id) => {
      expect(createdAtMsOf(id)).toBeUndefined();
    },
  );
});

describe('rendering notifications from events', () => {
  it('welcomes a new user by name', () => {
    const event = envelope(Topics.UserRegistered, { userId: 'u-1', email: 'ann@example.com', name: 'Ann', role: 'customer' });
    expect(welcomeNotification(event)).toEqual({
      userId: 'u-1',
      notification: {
        id: notificationIdOf(event),
        type: 'welcome',
        title: 'Welcome, Ann!',
        body: expect.any(String),
        data: {},
        createdAt: at,
      },
    });
  });

  it('tells the owner an order is confirmed, with its total', () => {
    const total = { amount: 1250, currency: 'EUR' };
    const event = envelope(Topics.OrderConfirmed, {
      orderId: 'o-1',
      userId: 'u-1',
      lines: [{ productId: 'p', quantity: 1, unitPrice: total }],
      total,
    });
    const { userId, notification } = orderConfirmedNotification(event);
    expect(userId).toBe('u-1');
    expect(notification).toMatchObject({
      type: 'order.confirmed',
      title: 'Order confirmed',
      data: { orderId: 'o-1', total },
      createdAt: at,
    });
    expect(notification.body).toBe('Your order o-1 is confirmed. Total: €12.50.');
  });

  it('tells the owner why an order was rejected', () => {
    const event = envelope(Topics.OrderRejected, { orderId: 'o-2', userId: 'u-2', reason: 'out of stock' });
    const { userId, notification } = orderRejectedNotification(event);
    expect(userId).toBe('u-2');
    expect(notification).toMatchObject({ type: 'order.rejected', data: { orderId: 'o-2', reason: 'out of stock' } });
    expect(notification.body).toContain('out of stock');
  });

  it('tells the owner an order was cancelled', () => {
    const event = envelope(Topics.OrderCancelled, { orderId: 'o-3', userId: 'u-3' });
    expect(orderCancelledNotification(event).notification).toMatchObject({
      type: 'order.cancelled',
      title: 'Order cancelled',
      data: { orderId: 'o-3' },
    });
  });

  it('clips an overlong reason', () => {
    const event = envelope(Topics.OrderRejected, { orderId: 'o-4', userId: 'u-4', reason: 'x'.repeat(5_000) });
    const { notification } = orderRejectedNotification(event);
    expect(notification.body.length).toBeLessThanOrEqual(500);
    expect((notification.data['reason'] as string).length).toBe(500);
  });

  it('formats money with the decimals of its currency', () => {
    expect(formatMoney({ amount: 1999, currency: 'EUR' })).toBe('€19.99');
    expect(formatMoney({ amount: 1999, currency: 'JPY' })).toBe('¥1,999');
    expect(formatMoney({ amount: 5, currency: 'USD' })).toBe('$0.05');
    // a currency's formatter is kept: asked again, each keeps its own decimals
    expect(formatMoney({ amount: 250, currency: 'JPY' })).toBe('¥250');
    expect(formatMoney({ amount: 250, currency: 'EUR' })).toBe('€2.50');
  });
});
