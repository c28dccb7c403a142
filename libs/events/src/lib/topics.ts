// the only list of topic names in the codebase. a topic carries one event type;
// the partition count bounds consumer parallelism per service.

export const Topics = {
  UserRegistered: 'user.registered',
  UserDeleted: 'user.deleted',
  ProductUpserted: 'product.upserted',
  ProductDeleted: 'product.deleted',
  OrderPlaced: 'order.placed',
  OrderConfirmed: 'order.confirmed',
  OrderRejected: 'order.rejected',
  OrderCancelled: 'order.cancelled',
  StockReserved: 'stock.reserved',
  StockRejected: 'stock.rejected',
  StockReleased: 'stock.released',
} as const;

export type TopicName = (typeof Topics)[keyof typeof Topics];

export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
}

// keyed by product id (catalog) or order id (saga), so each aggregate's events stay in order
const PARTITIONS: Record<TopicName, number> = {
  'user.registered': 3,
  'user.deleted': 3,
  'product.upserted': 6,
  'product.deleted': 3,
  'order.placed': 6,
  'order.confirmed': 6,
  'order.rejected': 6,
  'order.cancelled': 6,
  'stock.reserved': 6,
  'stock.rejected': 6,
  'stock.released': 6,
};

// a failed message keeps its key, so one partition is enough to keep dead letters in order
const DEAD_LETTER_PARTITIONS = 1;
const DEAD_LETTER_SUFFIX = '.dlt';

export function deadLetterTopic(topic: TopicName): string {
  return `${topic}${DEAD_LETTER_SUFFIX}`;
}

export function isTopicName(name: string): name is TopicName {
  return Object.prototype.hasOwnProperty.call(PARTITIONS, name);
}

/** every topic the platform uses, dead-letter topics included; created from here at start-up */
export function allTopicSpecs(): TopicSpec[] {
  return (Object.keys(PARTITIONS) as TopicName[]).flatMap((name) => [
    { name, partitions: PARTITIONS[name] },
    { name: deadLetterTopic(name), partitions: DEAD_LETTER_PARTITIONS },
  ]);
}
