import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * a loopback tcp proxy in front of one real server that a test can take down and bring back, so
 * one app sees its store vanish (connections reset, new ones refused) while the shared server,
 * and every other test using it, carries on.
 */
export interface TcpProxy {
  /** the proxy's own port: point the app's url at it */
  readonly port: number;
  /** resets every open connection and refuses new ones, as a dead server does */
  down(): Promise<void>;
  /** accepts connections again, on the same port */
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function tcpProxy(target: { host?: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;

  const track = (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = createServer((client) => {
        const upstream = connect(target.port, target.host ?? '127.0.0.1');
        track(client);
        track(upstream);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
        client.pipe(upstream).pipe(client);
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        port = (s.address() as AddressInfo).port;
        server = s;
        resolve();
      });
    });

  const down = async () => {
    const s = server;
    server = undefined;
    if (!s) return;
    const closed = new Promise<void>((resolve) => s.close(() => resolve()));
    for (const socket of sockets) socket.resetAndDestroy();
    await closed;
  };

  await listen();
  return {
    get port() {
      return port;
    },
    down,
    up: async () => {
      if (!server) await listen();
    },
    close: down,
  };
}
