import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig, postgresConfig, readEnv, type PostgresConfig } from '@ecom/config';
import { testPki, tlsTerminator, type TestPki, type TlsTerminator } from '@ecom/testing';
import { postgresDataSourceOptions } from '../src';

// POSTGRES_SSL_CA_FILE as production sets it (CloudNativePG's CA): the service's own data source options,
// against a server that speaks PostgreSQL's TLS with a certificate from a CA of the test's making, in front
// of the real server of the stack. verify-full: the right CA and host name connect, anything else does not

describe('PostgreSQL over TLS, the server checked against POSTGRES_SSL_CA_FILE', () => {
  const stack = loadConfig([postgresConfig('postgres')], readEnv()).postgres;
  let dir: string;
  let pki: TestPki;
  let terminator: TlsTerminator;
  const caFile = (name: string, pem: string) => {
    const path = join(dir, name);
    writeFileSync(path, pem);
    return path;
  };
  const connect = async (cfg: Partial<PostgresConfig>) => {
    const ds = new DataSource(postgresDataSourceOptions({ ...stack, host: '127.0.0.1', port: terminator.port, ...cfg }, { entities: [], migrations: [] }));
    await ds.initialize();
    try {
      return (await ds.query('select 1 as one')) as { one: number }[];
    } finally {
      await ds.destroy();
    }
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pg-tls-'));
    pki = await testPki(['orders-db-rw', '127.0.0.1']);
    terminator = await tlsTerminator({ host: stack.host, port: stack.port }, pki, { postgres: true });
  }, 60_000);
  afterAll(async () => {
    await terminator?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('connects with the CA that signed the server certificate, over TLS', async () => {
    const before = terminator.handshakes;
    expect(await connect({ sslCaFile: caFile('ca.crt', pki.caCert) })).toEqual([{ one: 1 }]);
    expect(terminator.handshakes).toBeGreaterThan(before);
  });

  it('refuses a server whose certificate another CA signed', async () => {
    const other = await testPki(['orders-db-rw', '127.0.0.1']);
    await expect(connect({ sslCaFile: caFile('other-ca.crt', other.caCert) })).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
  });

  it('refuses a certificate that does not name the host it connected to', async () => {
    await expect(connect({ host: 'localhost', sslCaFile: caFile('ca.crt', pki.caCert) })).rejects.toThrow(/localhost|altnames|does not match/i);
  });

  it('without a CA file it does not ask for TLS, and a TLS-only server turns it away', async () => {
    await expect(connect({ sslCaFile: undefined })).rejects.toThrow();
  });
});
