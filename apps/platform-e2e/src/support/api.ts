// a small client for the gateway that remembers every response, so a suite can prove that
// nothing answered with a 5xx

import { settings } from './settings';

export const BASE_URL = settings.baseUrl;

export interface Answer<T = any> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

export interface Seen {
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

/** every response this process received */
export const seen: Seen[] = [];

export interface CallOptions {
  readonly token?: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

/**
 * one request to `baseUrl` (the gateway, or a service's own port): JSON in and out, text kept when
 * the answer is not JSON, and a stream (text/event-stream) answered by its head only
 */
export async function request<T = any>(baseUrl: string, method: string, path: string, opts: CallOptions = {}): Promise<Answer<T>> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 30_000);
  try {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(opts.body !== undefined && { 'content-type': 'application/json' }),
        ...(opts.token && { authorization: `Bearer ${opts.token}` }),
        ...opts.headers,
      },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: abort.signal,
    });
    if (res.headers.get('content-type')?.startsWith('text/event-stream')) {
      abort.abort();
      return { status: res.status, headers: res.headers, body: undefined as T };
    }
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not json: keep the text
    }
    return { status: res.status, headers: res.headers, body: body as T };
  } finally {
    clearTimeout(timer);
  }
}

/** one request through the gateway, remembered in `seen` */
export async function api<T = any>(method: string, path: string, opts: CallOptions = {}): Promise<Answer<T>> {
  const answer = await request<T>(BASE_URL, method, path, opts);
  seen.push({ method, path, status: answer.status });
  return answer;
}

type Truthy<T> = Exclude<T, false | null | undefined | 0 | ''>;

/** polls until fn returns something truthy; a timeout names what it waited for and the last value */
export async function eventually<T>(what: string, fn: () => Promise<T>, timeoutMs = 10_000, intervalMs = 100): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await fn();
    if (last) return last as Truthy<T>;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last value: ${JSON.stringify(last)?.slice(0, 500)})`);
}
