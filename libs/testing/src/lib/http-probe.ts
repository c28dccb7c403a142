import { createServer, request } from 'node:http';
import { connect, type AddressInfo } from 'node:net';

/** a port nothing listens on right now, on 127.0.0.1 */
export const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const port = (probe.address() as AddressInfo).port;
      probe.close(() => resolve(port));
    });
  });

export interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/**
 * one request to 127.0.0.1:port without a client library's tidying, from a chosen local address
 * (every 127/8 address is this machine's own), on a connection of its own. a body of '{}' for
 * anything but GET unless `body` says otherwise.
 */
export const rawRequest = (
  port: number,
  method: string,
  path: string,
  opts: { from?: string; headers?: Record<string, string>; body?: string } = {},
) =>
  new Promise<RawAnswer>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        localAddress: opts.from ?? '127.0.0.1',
        headers: { 'content-type': 'application/json', ...opts.headers },
        agent: false,
      },
      (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body ?? (method === 'GET' ? undefined : '{}'));
  });

/**
 * bytes written as they are to 127.0.0.1:port, for what a client library would refuse to send (a
 * request line nginx can't parse, one over its buffers), and the answer read until the server
 * closes: its status, headers (lower-case names) and body
 */
export const rawBytes = (port: number, request: string) =>
  new Promise<RawAnswer>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (d) => (answer += d.toString()));
    socket.on('end', () => {
      const split = answer.indexOf('\r\n\r\n');
      const [statusLine, ...lines] = answer.slice(0, split < 0 ? answer.length : split).split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: split < 0 ? '' : answer.slice(split + 4) });
    });
    socket.on('error', reject);
    socket.end(request);
  });
