import { BASE_URL, seen } from './api';

export interface SseEvent {
  readonly event: string;
  readonly id?: string;
  readonly data: string;
}

/** a live text/event-stream through the gateway; events collect in `events` until close() */
export class SseStream {
  readonly events: SseEvent[] = [];
  /** true once the server ended the stream (or close() was called) */
  ended = false;
  private done: Promise<void> = Promise.resolve();

  private constructor(
    readonly status: number,
    private readonly abort: AbortController,
  ) {}

  static async open(path: string, headers: Record<string, string> = {}): Promise<SseStream> {
    const abort = new AbortController();
    const res = await fetch(`${BASE_URL}${path}`, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
    seen.push({ method: 'GET', path: path.replace(/token=[^&]+/, 'token=…'), status: res.status });
    const stream = new SseStream(res.status, abort);
    if (res.ok && res.body) stream.done = stream.read(res.body);
    else await res.body?.cancel();
    return stream;
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = { event: 'message', data: [] as string[], id: undefined as string | undefined };
          for (const line of frame.split('\n')) {
            if (line.startsWith(':')) continue; // a comment: heartbeat
            const [name, ...rest] = line.split(':');
            const value = rest.join(':').replace(/^ /, '');
            if (name === 'event') fields.event = value;
            else if (name === 'data') fields.data.push(value);
            else if (name === 'id') fields.id = value;
          }
          if (fields.data.length) this.events.push({ event: fields.event, id: fields.id, data: fields.data.join('\n') });
        }
      }
    } catch (e) {
      if ((e as Error).name !== 'AbortError') throw e;
    } finally {
      this.ended = true;
    }
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.done.catch(() => undefined);
  }
}
