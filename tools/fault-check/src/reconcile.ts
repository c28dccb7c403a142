import type { Kafka } from 'kafkajs';
import type { TopicNames } from '@ecom/events';
import { countDeadLetters } from '@ecom/kafka';
import type { PlacedOrder } from './shoppers';

/** one scenario's effects, counted after the fact; every "should" column must equal its "is" */
export interface Row {
  readonly scenario: string;
  readonly downSeconds: number;
  /** orders the clients sent (one Idempotency-Key each) */
  readonly sent: number;
  /** orders a 2xx answered, by distinct order id */
  readonly accepted: number;
  /** orders the customers can list afterwards */
  readonly stored: number;
  readonly pending: number;
  /** keys answered with more than one order id, plus stored orders no client was told of */
  readonly doubled: number;
  readonly confirmed: number;
  readonly rejected: number;
  /** units the products lost, and units in confirmed orders */
  readonly stockTaken: number;
  readonly unitsConfirmed: number;
  /** settled orders with exactly one notification; and notifications beyond one per order */
  readonly notified: number;
  readonly extraNotifications: number;
  /** what analytics counted of the scenario's orders: placed / confirmed / rejected */
  readonly analytics: OrderCounts;
  /** products whose search entry shows their current stock */
  readonly searchCurrent: number;
  readonly products: number;
  /** answers by status class: 503s the clients retried, and any other 5xx (a bug) */
  readonly retried503: number;
  readonly dropped: number;
  readonly other5xx: number;
  readonly deadLetters: number;
  readonly problems: string[];
}

export interface Api {
  get<T>(path: string, token: string): Promise<T>;
}

interface OrderView {
  id: string;
  status: string;
  items: { productId: string; quantity: number }[];
}

/** entries in every dead-letter topic of the run; waits for a broker that is coming back */
export async function deadLetterCount(kafka: Kafka, names: TopicNames): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await countDeadLetters(kafka, names)).reduce((n, t) => n + t.count, 0);
    } catch (e) {
      if (attempt >= 60) throw e;
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
}

export interface Inputs {
  readonly scenario: string;
  readonly downSeconds: number;
  readonly orders: readonly PlacedOrder[];
  readonly api: Api;
  readonly admin: string;
  readonly tokens: ReadonlyMap<string, string>;
  readonly products: ReadonlyMap<string, number>;
  readonly category: string;
  /** analytics' counts before the scenario: its effect is the difference */
  readonly analyticsBefore: OrderCounts;
  readonly deadLetters: number;
}

export interface OrderCounts {
  placed: number;
  confirmed: number;
  rejected: number;
}

// the run has a keyspace of its own, so everything analytics counted around now is the suite's
const loaded = Date.now();
const WHOLE_RUN = `from=${new Date(loaded - 3_600_000).toISOString()}&to=${new Date(loaded + 2 * 86_400_000).toISOString()}`;

export async function analyticsCounts(api: Api, admin: string): Promise<OrderCounts> {
  const { orders } = await api.get<{ orders: OrderCounts }>(`/api/analytics/summary?${WHOLE_RUN}`, admin);
  return { placed: orders.placed, confirmed: orders.confirmed, rejected: orders.rejected };
}

/** counts every effect of the scenario's orders and compares each with what it should be */
export async function reconcile(input: Inputs): Promise<Row> {
  const { api, admin, orders } = input;
  const ids = new Set(orders.flatMap((o) => [...o.ids]));
  const byId = new Map<string, OrderView>();
  for (const id of ids) byId.set(id, await api.get<OrderView>(`/api/orders/${id}`, admin));
  const settled = [...byId.values()];
  const confirmed = settled.filter((o) => o.status === 'CONFIRMED');
  const rejected = settled.filter((o) => o.status === 'REJECTED');
  const pending = settled.filter((o) => o.status === 'PENDING').length;

  // what the customers see: no order may exist that no client was told about
  let stored = 0;
  const notes = new Map<string, number>();
  for (const token of input.tokens.values()) {
    stored += (await api.get<{ total: number }>('/api/orders?limit=1', token)).total;
    const inbox = await api.get<{ items: { type: string; data: { orderId?: string } }[] }>('/api/notifications?limit=100', token);
    for (const n of inbox.items) {
      if ((n.type === 'order.confirmed' || n.type === 'order.rejected') && n.data.orderId)
        notes.set(n.data.orderId, (notes.get(n.data.orderId) ?? 0) + 1);
    }
  }

  let stockTaken = 0;
  let searchCurrent = 0;
  const search = await api.get<{ items: { id: string; stock: number }[] }>(
    `/api/products/search?category=${encodeURIComponent(input.category)}&limit=100`,
    admin,
  );
  for (const [productId, initial] of input.products) {
    const now = (await api.get<{ stock: number }>(`/api/products/${productId}`, admin)).stock;
    stockTaken += initial - now;
    if (search.items.find((h) => h.id === productId)?.stock === now) searchCurrent++;
  }
  const unitsConfirmed = confirmed.flatMap((o) => o.items).reduce((n, i) => n + i.quantity, 0);

  const after = await analyticsCounts(api, admin);
  const before = input.analyticsBefore;

  const statuses = orders.flatMap((o) => o.statuses);
  const row: Row = {
    scenario: input.scenario,
    downSeconds: input.downSeconds,
    sent: orders.length,
    accepted: ids.size,
    stored,
    pending,
    doubled: orders.filter((o) => o.ids.size > 1).length + Math.max(0, stored - ids.size),
    confirmed: confirmed.length,
    rejected: rejected.length,
    stockTaken,
    unitsConfirmed,
    notified: settled.filter((o) => notes.get(o.id) === 1).length,
    extraNotifications: [...notes.values()].reduce((n, c) => n + Math.max(0, c - 1), 0),
    analytics: {
      placed: after.placed - before.placed,
      confirmed: after.confirmed - before.confirmed,
      rejected: after.rejected - before.rejected,
    },
    searchCurrent,
    products: input.products.size,
    retried503: statuses.filter((s) => s === 503).length,
    dropped: statuses.filter((s) => s === 0).length,
    other5xx: statuses.filter((s) => s >= 500 && s !== 503).length,
    deadLetters: input.deadLetters,
    problems: [],
  };
  row.problems.push(...problemsOf(row, orders));
  return row;
}

function problemsOf(r: Row, orders: readonly PlacedOrder[]): string[] {
  const p: string[] = [];
  const unanswered = orders.filter((o) => o.final === undefined).length;
  if (unanswered) p.push(`${unanswered} orders never got a final answer`);
  const refused = orders.filter((o) => o.final !== undefined && o.final >= 400).length;
  if (refused) p.push(`${refused} orders were refused with a 4xx`);
  if (r.accepted !== r.sent) p.push(`accepted ${r.accepted} of ${r.sent} sent`);
  if (r.stored !== r.accepted) p.push(`stored ${r.stored} ≠ accepted ${r.accepted}`);
  if (r.pending) p.push(`${r.pending} orders still PENDING`);
  if (r.doubled) p.push(`${r.doubled} orders doubled`);
  if (r.stockTaken !== r.unitsConfirmed) p.push(`stock taken ${r.stockTaken} ≠ units confirmed ${r.unitsConfirmed}`);
  if (r.notified !== r.confirmed + r.rejected)
    p.push(`${r.confirmed + r.rejected - r.notified} settled orders without exactly one notification`);
  if (r.extraNotifications) p.push(`${r.extraNotifications} notifications doubled`);
  const a = r.analytics;
  if (a.placed !== r.accepted || a.confirmed !== r.confirmed || a.rejected !== r.rejected)
    p.push(`analytics placed/confirmed/rejected ${a.placed}/${a.confirmed}/${a.rejected} ≠ ${r.accepted}/${r.confirmed}/${r.rejected}`);
  if (r.searchCurrent !== r.products) p.push(`search shows the current stock of ${r.searchCurrent} of ${r.products} products`);
  if (r.other5xx) p.push(`${r.other5xx} answers were a 5xx other than 503`);
  if (r.deadLetters) p.push(`${r.deadLetters} dead letters`);
  return p;
}

/** the table the suite prints: one row per scenario */
export function formatRows(rows: readonly Row[]): string {
  const head = [
    'scenario',
    'down s',
    'sent',
    'accepted',
    'stored',
    'pending',
    'doubled',
    'confirmed',
    'rejected',
    'stock taken/confirmed',
    'notified',
    'analytics p/c/r',
    'search',
    '503 retried',
    'dropped',
    '5xx≠503',
    'DLT',
    'result',
  ];
  const lines = rows.map((r) => [
    r.scenario,
    String(r.downSeconds),
    String(r.sent),
    String(r.accepted),
    String(r.stored),
    String(r.pending),
    String(r.doubled),
    String(r.confirmed),
    String(r.rejected),
    `${r.stockTaken}/${r.unitsConfirmed}`,
    `${r.notified}/${r.confirmed + r.rejected}`,
    `${r.analytics.placed}/${r.analytics.confirmed}/${r.analytics.rejected}`,
    `${r.searchCurrent}/${r.products}`,
    String(r.retried503),
    String(r.dropped),
    String(r.other5xx),
    String(r.deadLetters),
    r.problems.length ? `FAIL: ${r.problems.join('; ')}` : 'ok',
  ]);
  const cell = (s: string) => s.replace(/\|/g, '/');
  return [head, head.map(() => '---'), ...lines].map((cols) => `| ${cols.map(cell).join(' | ')} |`).join('\n');
}
