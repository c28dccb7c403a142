import { Gauge } from 'prom-client';
import type { Metrics } from './metrics';

/** how long a scrape waits for a store or kafka before it leaves the gauge out */
export const SCRAPE_READ_TIMEOUT_MS = 2_000;

export interface GaugeSample<L extends string> {
  readonly labels?: Partial<Record<L, string | number>>;
  readonly value: number;
}

export interface ScrapeGaugeOptions<L extends string> {
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly L[];
  /** reads the current values when prometheus scrapes */
  readonly read: () => Promise<readonly GaugeSample<L>[]>;
  readonly timeoutMs?: number;
}

/**
 * a gauge read from a store or from kafka at scrape time (an outbox's backlog, a group's lag), so
 * it is never older than the scrape. a read that fails or takes longer than timeoutMs leaves the
 * gauge without series for that scrape: a store that is down shows as absent data, never as a
 * stale or a zero value, and never holds the scrape up.
 */
export function scrapeGauge<L extends string>(metrics: Metrics, options: ScrapeGaugeOptions<L>): Gauge<L> {
  const timeoutMs = options.timeoutMs ?? SCRAPE_READ_TIMEOUT_MS;
  let unread = false;
  const gauge = new (class extends Gauge<L> {
    // prom-client reports 0 for a gauge without labels that has no value: an unread one reports nothing
    override async get() {
      const metric = await super.get();
      return unread ? { ...metric, values: [] } : metric;
    }
  })({
    name: options.name,
    help: options.help,
    labelNames: options.labelNames ?? [],
    registers: [metrics.registry],
    async collect() {
      this.reset();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${options.name}: no answer in ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        const samples = await Promise.race([options.read(), timeout]);
        for (const s of samples) this.set((s.labels ?? {}) as Partial<Record<L, string | number>>, s.value);
        unread = false;
      } catch {
        // absent this scrape; the service's health check says which store is down
        unread = true;
      } finally {
        clearTimeout(timer);
      }
    },
  });
  return gauge;
}

/**
 * one read shared by the gauges of one scrape (a count and an age from one query): calls within
 * maxAgeMs of a read get that read's promise
 */
export function sharedRead<T>(read: () => Promise<T>, maxAgeMs = 1_000): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | undefined;
  return () => {
    if (!last || Date.now() - last.at > maxAgeMs) last = { at: Date.now(), value: read() };
    return last.value;
  };
}
