export interface LoadRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
}

export interface LoadResult {
  readonly requests: number;
  /** responses by status; network errors count under 0 */
  readonly statuses: Record<number, number>;
  readonly nonOk: number;
  /** a few of the failures, to say what went wrong */
  readonly samples: string[];
  readonly seconds: number;
  /**
   * GETs sent again after the connection closed under them before any response (the keep-alive
   * race of a balancer reload); rfc 9112 9.3.1 lets clients retry idempotent requests then
   */
  readonly retried: number;
}

/**
 * steady load: `concurrency` loops send requests back to back until stop() and at least
 * `minRequests` were sent. every response that is not 2xx counts, network errors too.
 */
export class Load {
  private sent = 0;
  private retried = 0;
  private stopping = false;
  private readonly statuses: Record<number, number> = {};
  private readonly samples: string[] = [];
  private readonly loops: Promise<void>[];
  private readonly started = Date.now();

  constructor(
    private readonly baseUrl: string,
    private readonly next: (i: number) => LoadRequest,
    private readonly minRequests: number,
    concurrency = 8,
  ) {
    this.loops = Array.from({ length: concurrency }, () => this.loop());
  }

  get count(): number {
    return this.sent;
  }

  private async loop(): Promise<void> {
    while (!this.stopping || this.sent < this.minRequests) {
      const req = this.next(this.sent++);
      let { status, detail } = await this.send(req);
      // a reload closes every idle keep-alive connection at once: the next pooled one may be closing too
      for (let attempt = 1; status === 0 && req.method === 'GET' && attempt <= 3; attempt++) {
        this.retried++;
        await new Promise((r) => setTimeout(r, 20 * attempt));
        ({ status, detail } = await this.send(req));
      }
      this.statuses[status] = (this.statuses[status] ?? 0) + 1;
      if ((status < 200 || status > 299) && this.samples.length < 5) this.samples.push(`${req.method} ${req.path} → ${status} ${detail}`);
    }
  }

  private async send(req: LoadRequest): Promise<{ status: number; detail: string }> {
    try {
      const res = await fetch(`${this.baseUrl}${req.path}`, {
        method: req.method,
        headers: { ...(req.body !== undefined && { 'content-type': 'application/json' }), ...req.headers },
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
        signal: AbortSignal.timeout(15_000),
      });
      const text = await res.text();
      return { status: res.status, detail: res.ok ? '' : text.slice(0, 200) };
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      return { status: 0, detail: `${(e as Error).message}${cause ? ` (${cause.code ?? cause.message})` : ''}` };
    }
  }

  async stop(): Promise<LoadResult> {
    this.stopping = true;
    await Promise.all(this.loops);
    const nonOk = Object.entries(this.statuses)
      .filter(([s]) => Number(s) < 200 || Number(s) > 299)
      .reduce((n, [, c]) => n + c, 0);
    return {
      requests: this.sent,
      statuses: { ...this.statuses },
      nonOk,
      samples: [...this.samples],
      seconds: (Date.now() - this.started) / 1000,
      retried: this.retried,
    };
  }
}
