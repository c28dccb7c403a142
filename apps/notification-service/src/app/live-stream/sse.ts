// Server-Sent Events on the wire (html living standard, "server-sent events"): pure formatting,
// plus one open stream over any writable that looks like node's ServerResponse

export interface SseEvent {
  readonly id?: string;
  readonly event?: string;
  readonly data: string;
}

const LINE_BREAK = /\r\n|\r|\n/;
// a field value is one line; an id with a NUL is ignored by browsers
const field = (value: string) => value.replace(/[\r\n\0]+/g, ' ');

/** one event: every line of data becomes a data: line, the client joins them back with \n */
export function sseFrame({ id, event, data }: SseEvent): string {
  const lines: string[] = [];
  if (id !== undefined) lines.push(`id: ${field(id)}`);
  if (event !== undefined) lines.push(`event: ${field(event)}`);
  for (const line of data.split(LINE_BREAK)) lines.push(`data: ${line}`);
  return `${lines.join('\n')}\n\n`;
}

/** a comment: clients ignore it, proxies and load balancers see traffic */
export function sseComment(text: string): string {
  return `${text
    .split(LINE_BREAK)
    .map((line) => `: ${line}`)
    .join('\n')}\n\n`;
}

/** how long the client waits before it reconnects */
export function sseRetry(ms: number): string {
  return `retry: ${Math.max(0, Math.floor(ms))}\n\n`;
}

/** the part of http.ServerResponse a stream writes to */
export interface SseSink {
  write(chunk: string): boolean;
  end(): void;
  readonly writableLength: number;
  readonly writableEnded: boolean;
  readonly destroyed: boolean;
}

export interface SseStreamOptions {
  readonly heartbeatMs: number;
  readonly retryMs?: number;
  /** a client that stops reading is dropped once this much waits for it (it reconnects) */
  readonly maxBufferedBytes?: number;
}

export const SSE_CONNECTED = 'connected';
export const SSE_HEARTBEAT = 'heartbeat';

/** one open event stream: the opening lines, events, a heartbeat comment, and a clean end */
export class SseStream {
  private heartbeat?: NodeJS.Timeout;
  private ended = false;

  constructor(
    private readonly sink: SseSink,
    private readonly options: SseStreamOptions,
  ) {}

  get closed(): boolean {
    return this.ended || this.sink.writableEnded || this.sink.destroyed;
  }

  /** the reconnect delay and a "connected" comment, then a heartbeat until close() */
  start(): void {
    this.write(sseRetry(this.options.retryMs ?? 3_000) + sseComment(SSE_CONNECTED));
    this.heartbeat = setInterval(() => this.write(sseComment(SSE_HEARTBEAT)), this.options.heartbeatMs);
    this.heartbeat.unref();
  }

  send(event: SseEvent): void {
    this.write(sseFrame(event));
  }

  /** ends the response; safe to call again, or after the client went away */
  close(): void {
    clearInterval(this.heartbeat);
    if (this.ended) return;
    this.ended = true;
    if (!this.sink.writableEnded && !this.sink.destroyed) this.sink.end();
  }

  private write(chunk: string): void {
    if (this.closed) {
      clearInterval(this.heartbeat);
      return;
    }
    this.sink.write(chunk);
    if (this.sink.writableLength > (this.options.maxBufferedBytes ?? 1024 * 1024)) this.close();
  }
}
