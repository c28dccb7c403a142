import type { EventEnvelope } from '@ecom/events';

export const NOTIFICATION_TYPES = ['welcome', 'order.confirmed', 'order.rejected', 'order.cancelled'] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/** what is stored for one notification; whether it was read is kept apart */
export interface Notification {
  readonly id: string;
  readonly type: NotificationType;
  readonly title: string;
  readonly body: string;
  readonly data: Readonly<Record<string, unknown>>;
  /** ISO 8601: when the event that caused it happened */
  readonly createdAt: string;
}

/** a notification for one user, as a handled event produces it */
export interface Addressed {
  readonly userId: string;
  readonly notification: Notification;
}

// <createdAt in ms, base 36>-<event id>: unique per event, the same on every redelivery, and it
// carries the sort score, so one notification is found without an index from id to score
const ID = /^([0-9a-z]{1,11})-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export function notificationIdOf(event: Pick<EventEnvelope, 'id' | 'occurredAt'>): string {
  return `${Date.parse(event.occurredAt).toString(36)}-${event.id.toLowerCase()}`;
}

/** the creation time in ms a notification id carries; undefined for anything we never issued */
export function createdAtMsOf(id: string): number | undefined {
  const match = ID.exec(id);
  if (!match) return undefined;
  const ms = parseInt(match[1], 36);
  return Number.isSafeInteger(ms) ? ms : undefined;
}
