import { randomUUID } from 'node:crypto';

export interface OrderLine {
  readonly productId: string;
  readonly quantity: number;
}

/** one order as a client saw it: every answer it got until one was final */
export interface PlacedOrder {
  readonly key: string;
  readonly customer: string;
  readonly lines: readonly OrderLine[];
  /** the order ids the answers named; exactly one unless something doubled it */
  readonly ids: Set<string>;
  /** http statuses in order of arrival; 0 is a dropped connection or a timeout */
  readonly statuses: number[];
  /** the final status: 2xx, or a 4xx that retrying would not change; undefined if it gave up */
  final?: number;
}

export interface TrafficOptions {
  readonly gateway: string;
  /** customer id -> bearer token */
  readonly customers: ReadonlyMap<string, string>;
  readonly order: (i: number) => OrderLine[];
  readonly total: number;
  readonly perSecond: number;
  /** a client gives up on an order after this long; longer than any outage of the suite */
  readonly giveUpMs: number;
}

const RETRY_DEFAULT_MS = 500;
const REQUEST_TIMEOUT_MS = 15_000;

/**
 * customers placing orders at a steady pace, each with its own Idempotency-Key. like a careful
 * client, each one retries with the same key on 503 (after Retry-After), on a dropped connection
 * or a timeout, until it gets a final answer. every status is recorded, for the 5xx count.
 */
export class Shoppers {
  readonly orders: PlacedOrder[] = [];
  private readonly running: Promise<void>[] = [];

  constructor(private readonly options: TrafficOptions) {}

  /** starts the traffic; resolves once every order has been sent at least once */
  async start(onProgress?: (sent: number) => void): Promise<void> {
    const { total, perSecond, customers } = this.options;
    const names = [...customers.keys()];
    const started = Date.now();
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / perSecond;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const customer = names[i % names.length];
      const order: PlacedOrder = { key: randomUUID(), customer, lines: this.options.order(i), ids: new Set(), statuses: [] };
      this.orders.push(order);
      this.running.push(this.place(order));
      onProgress?.(i + 1);
    }
  }

  /** resolves once every order has its final answer (or its client gave up) */
  async settled(): Promise<void> {
    await Promise.all(this.running);
  }

  private async place(order: PlacedOrder): Promise<void> {
    const deadline = Date.now() + this.options.giveUpMs;
    const token = this.options.customers.get(order.customer) ?? '';
    while (Date.now() < deadline) {
      let status = 0;
      let retryAfterMs = RETRY_DEFAULT_MS;
      try {
        const res = await fetch(`${this.options.gateway}/api/orders`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: token, 'idempotency-key': order.key },
          body: JSON.stringify({ items: order.lines }),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        status = res.status;
        const body = (await res.json().catch(() => ({}))) as { id?: string };
        if (res.ok && body.id) order.ids.add(body.id);
        const after = Number(res.headers.get('retry-after'));
        if (Number.isFinite(after) && after > 0) retryAfterMs = after * 1000;
      } catch {
        status = 0; // connection refused or dropped, or no answer in time: the same key makes a retry safe
      }
      order.statuses.push(status);
      // 429 says "later" like 503 does; any other 4xx is an answer retrying would not change
      if ((status >= 200 && status < 300) || (status >= 400 && status < 500 && status !== 429)) {
        order.final = status;
        return;
      }
      await new Promise((r) => setTimeout(r, retryAfterMs));
    }
  }
}
