import { Client, types } from 'cassandra-driver';
import { Agent, request } from 'undici';

/**
 * live notifications of the bench's shoppers, through the gateway's SSE route, as a shop's page
 * gets them: when each order's notification arrived
 */
export class Inboxes {
  readonly notified = new Map<string, number>();
  // one long-lived connection per shopper; no body timeout, the streams stay open between events
  private readonly agent = new Agent({ connections: 1_000, bodyTimeout: 0 });
  private readonly abort = new AbortController();

  async open(base: string, tokens: readonly string[]): Promise<void> {
    await Promise.all(tokens.map((token) => this.listen(`${base}/api/notifications/stream`, token)));
  }

  private async listen(url: string, token: string): Promise<void> {
    const res = await request(url, {
      dispatcher: this.agent,
      headers: { accept: 'text/event-stream', authorization: token },
      signal: this.abort.signal,
    });
    if (res.statusCode !== 200) throw new Error(`the notification stream answered ${res.statusCode}`);
    let buffer = '';
    res.body.setEncoding('utf8');
    res.body.on('data', (chunk: string) => {
      const at = performance.now();
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = frame
          .split('\n')
          .filter((l) => l.startsWith('data:'))
          .map((l) => l.slice(5).trim())
          .join('\n');
        const orderId = data ? (/"orderId":"([0-9a-f-]{36})"/.exec(data)?.[1] ?? undefined) : undefined;
        if (orderId && !this.notified.has(orderId)) this.notified.set(orderId, at);
      }
    });
    res.body.on('error', () => undefined);
  }

  close(): Promise<void> {
    this.abort.abort();
    return this.agent.close();
  }
}

/**
 * when analytics wrote each confirmed order's row: cassandra's own write time of the row in
 * events_by_day (microseconds since the epoch), read after the step
 */
export class AnalyticsRows {
  private readonly cassandra: Client;

  constructor() {
    const env = process.env;
    this.cassandra = new Client({
      contactPoints: (env['CASSANDRA_CONTACT_POINTS'] ?? '127.0.0.1:9042').split(',').map((s) => s.trim()),
      localDataCenter: env['CASSANDRA_LOCAL_DC'] ?? 'datacenter1',
      keyspace: env['CASSANDRA_KEYSPACE'],
    });
  }

  /** order id → wall-clock ms when its order.confirmed row was written, for the days given */
  async confirmedRows(days: readonly string[]): Promise<Map<string, number>> {
    const rows = new Map<string, number>();
    for (const day of days) {
      const rs = await this.cassandra.execute(
        'select payload, writetime(payload) as written from events_by_day where event_type = ? and day = ?',
        ['order.confirmed', types.LocalDate.fromString(day)],
        { prepare: true, fetchSize: 10_000 },
      );
      for await (const row of rs) {
        const orderId = /"orderId":"([0-9a-f-]{36})"/.exec(String(row['payload']))?.[1];
        const written = row['written'] as types.Long | null;
        if (orderId && written) rows.set(orderId, written.toNumber() / 1000);
      }
    }
    return rows;
  }

  close(): Promise<void> {
    return this.cassandra.shutdown();
  }
}
