import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { generate } from 'selfsigned';

/** a CA, and a server certificate it signed for the given host names and addresses */
export interface TestPki {
  readonly caCert: string;
  readonly serverKey: string;
  readonly serverCert: string;
}

/** a fresh CA and a server certificate of its own for `hosts` (names, or IPv4 addresses), as an operator makes them */
export async function testPki(hosts: readonly string[] = ['localhost', '127.0.0.1']): Promise<TestPki> {
  const ca = await generate([{ name: 'commonName', value: 'ecom test ca' }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const server = await generate([{ name: 'commonName', value: hosts[0] }], {
    keySize: 2048,
    algorithm: 'sha256',
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: hosts.map((h) => (/^\d+\.\d+\.\d+\.\d+$/.test(h) ? { type: 7 as const, ip: h } : { type: 2 as const, value: h })),
      },
    ],
  });
  return { caCert: ca.cert, serverKey: server.private, serverCert: server.cert };
}

/**
 * a loopback TLS endpoint in front of a real plain-text server: what a client with TLS on meets in
 * production (an operator's certificate), while the server behind stays the local stack's. `postgres`:
 * answers PostgreSQL's SSLRequest first, as a server with ssl on does, then speaks TLS.
 */
export interface TlsTerminator {
  readonly port: number;
  /** connections that completed a TLS handshake */
  readonly handshakes: number;
  close(): Promise<void>;
}

const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

export async function tlsTerminator(
  target: { host?: string; port: number },
  pki: Pick<TestPki, 'serverKey' | 'serverCert'>,
  opts: { postgres?: boolean } = {},
): Promise<TlsTerminator> {
  const sockets = new Set<Socket>();
  let handshakes = 0;
  const track = (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };
  const secure = (raw: Socket) => {
    const tls = new TLSSocket(raw, { isServer: true, key: pki.serverKey, cert: pki.serverCert });
    track(tls);
    tls.on('secure', () => {
      handshakes++;
      const upstream = connect(target.port, target.host ?? '127.0.0.1');
      track(upstream);
      tls.on('close', () => upstream.destroy());
      upstream.on('close', () => tls.destroy());
      tls.pipe(upstream).pipe(tls);
    });
  };
  const server = createServer((raw) => {
    track(raw);
    if (!opts.postgres) return secure(raw);
    raw.once('data', (first) => {
      if (first.subarray(0, 8).equals(SSL_REQUEST)) raw.write('S', () => secure(raw));
      else raw.destroy(); // a client without ssl: refused
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    get handshakes() {
      return handshakes;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
