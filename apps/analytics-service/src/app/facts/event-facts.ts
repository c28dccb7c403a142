import { Topics, type EventEnvelope, type EventsMap } from '@ecom/events';
import { bucketOf, type FactBucket } from './time-buckets';

/** the series analytics stores, one partition per series and day (see analytics.schema.ts) */
export const Series = {
  Signups: 'signups',
  OrdersPlaced: 'orders.placed',
  OrdersConfirmed: 'orders.confirmed',
  OrdersRejected: 'orders.rejected',
  OrdersCancelled: 'orders.cancelled',
} as const;

/** revenue is one series per currency: amounts in different currencies never add up */
export const revenueSeries = (currency: string): string => `revenue.${currency}`;

/** the topics analytics learns from */
export const RECORDED_TOPICS = [
  Topics.UserRegistered,
  Topics.OrderPlaced,
  Topics.OrderConfirmed,
  Topics.OrderRejected,
  Topics.OrderCancelled,
] as const;
export type RecordedTopic = (typeof RECORDED_TOPICS)[number];

/** everything one event contributes, every row keyed by the event id */
export interface EventFacts {
  readonly eventId: string;
  readonly eventType: string;
  readonly occurredAt: Date;
  readonly bucket: FactBucket;
  readonly correlationId: string;
  /** what the history keeps of the payload, as JSON */
  readonly history: string;
  /** one row per series: 1 for a count, minor units for revenue */
  readonly series: readonly { readonly series: string; readonly value: number }[];
  /** currencies with revenue, so reports can find their series */
  readonly currencies: readonly string[];
  /** quantity per product, lines of the same product added up (an order may list a product twice) */
  readonly products: readonly { readonly productId: string; readonly quantity: number }[];
}

const SERIES_OF: Record<RecordedTopic, string> = {
  [Topics.UserRegistered]: Series.Signups,
  [Topics.OrderPlaced]: Series.OrdersPlaced,
  [Topics.OrderConfirmed]: Series.OrdersConfirmed,
  [Topics.OrderRejected]: Series.OrdersRejected,
  [Topics.OrderCancelled]: Series.OrdersCancelled,
};

function quantitiesByProduct(lines: readonly { productId: string; quantity: number }[]): { productId: string; quantity: number }[] {
  const byProduct = new Map<string, number>();
  for (const l of lines) byProduct.set(l.productId, (byProduct.get(l.productId) ?? 0) + l.quantity);
  return [...byProduct].map(([productId, quantity]) => ({ productId, quantity }));
}

/** the history keeps no personal data beyond ids: the name and email stay with user-service */
function historyOf(topic: RecordedTopic, payload: unknown): string {
  if (topic === Topics.UserRegistered) {
    const { userId, role } = payload as EventsMap['user.registered'];
    return JSON.stringify({ userId, role });
  }
  return JSON.stringify(payload);
}

/**
 * what an event adds to analytics: a pure function of the envelope, so a redelivered event yields
 * exactly the same rows under exactly the same keys. time is the event's occurredAt, not the time
 * it was consumed, so replays and lagging consumers land in the right buckets.
 */
export function factsOf<T extends RecordedTopic>(topic: T, event: EventEnvelope<EventsMap[T]>): EventFacts {
  const series = [{ series: SERIES_OF[topic], value: 1 }];
  let currencies: string[] = [];
  let products: { productId: string; quantity: number }[] = [];
  if (topic === Topics.OrderConfirmed) {
    const { total, lines } = event.payload as EventsMap['order.confirmed'];
    series.push({ series: revenueSeries(total.currency), value: total.amount });
    currencies = [total.currency];
    products = quantitiesByProduct(lines);
  }
  return {
    eventId: event.id,
    eventType: event.type,
    occurredAt: new Date(event.occurredAt),
    bucket: bucketOf(event.occurredAt),
    correlationId: event.correlationId,
    history: historyOf(topic, event.payload),
    series,
    currencies,
    products,
  };
}
