import type { EventEnvelope, EventsMap, Money } from '@ecom/events';
import { notificationIdOf, type Addressed, type Notification, type NotificationType } from './notification';

// titles and bodies are shown as they are; whatever an event carries is clipped to a sane length
const MAX_TEXT = 500;
const clip = (text: string) => (text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text);

/** money in minor units as a person reads it, with the currency's own number of decimals */
export function formatMoney({ amount, currency }: Money): string {
  const format = new Intl.NumberFormat('en', { style: 'currency', currency });
  const decimals = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amount / 10 ** decimals);
}

function notification(
  event: EventEnvelope,
  type: NotificationType,
  title: string,
  body: string,
  data: Record<string, unknown>,
): Notification {
  return {
    id: notificationIdOf(event),
    type,
    title: clip(title),
    body: clip(body),
    data,
    createdAt: new Date(event.occurredAt).toISOString(),
  };
}

export function welcomeNotification(event: EventEnvelope<EventsMap['user.registered']>): Addressed {
  const { userId, name } = event.payload;
  return {
    userId,
    notification: notification(
      event,
      'welcome',
      `Welcome, ${name}!`,
      'Your account is ready. Updates on your orders will show up here.',
      {},
    ),
  };
}

export function orderConfirmedNotification(event: EventEnvelope<EventsMap['order.confirmed']>): Addressed {
  const { userId, orderId, total } = event.payload;
  return {
    userId,
    notification: notification(
      event,
      'order.confirmed',
      'Order confirmed',
      `Your order ${orderId} is confirmed. Total: ${formatMoney(total)}.`,
      { orderId, total: { amount: total.amount, currency: total.currency } },
    ),
  };
}

export function orderRejectedNotification(event: EventEnvelope<EventsMap['order.rejected']>): Addressed {
  const { userId, orderId, reason } = event.payload;
  return {
    userId,
    notification: notification(event, 'order.rejected', 'Order rejected', `Your order ${orderId} could not be placed: ${reason}`, {
      orderId,
      reason: clip(reason),
    }),
  };
}

export function orderCancelledNotification(event: EventEnvelope<EventsMap['order.cancelled']>): Addressed {
  const { userId, orderId } = event.payload;
  return {
    userId,
    notification: notification(event, 'order.cancelled', 'Order cancelled', `Your order ${orderId} was cancelled.`, { orderId }),
  };
}
