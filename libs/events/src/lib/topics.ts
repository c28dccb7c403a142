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
  /** topic settings that differ from the broker's defaults */
  readonly config?: Readonly<Record<string, string>>;
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

// how long the broker keeps events (docs/adr/0016-read-models-rebuilt-by-replay.md). a read model is
// rebuilt by replaying the events it is fed by (npm run rebuild), so those stay:
// - the history analytics counts is kept whole: every sign-up and order event, forever;
// - the catalog keeps each product's latest event (compaction by key): all a search index needs.
//   deletions are compacted the same way, so a deleted product never comes back from an old upsert.
// the saga's stock topics and user.deleted keep the broker's default (7 days): nothing is rebuilt
// from them. dead-letter topics too: their entries wait for a person that long.
const KEEP_ALL = { 'retention.ms': '-1' };
const LATEST_PER_KEY = { 'cleanup.policy': 'compact' };
const TOPIC_CONFIG: Partial<Record<TopicName, Readonly<Record<string, string>>>> = {
  'user.registered': KEEP_ALL,
  'order.placed': KEEP_ALL,
  'order.confirmed': KEEP_ALL,
  'order.rejected': KEEP_ALL,
  'order.cancelled': KEEP_ALL,
  'product.upserted': LATEST_PER_KEY,
  'product.deleted': LATEST_PER_KEY,
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
    { name, partitions: PARTITIONS[name], ...(TOPIC_CONFIG[name] && { config: TOPIC_CONFIG[name] }) },
    { name: deadLetterTopic(name), partitions: DEAD_LETTER_PARTITIONS },
  ]);
}
