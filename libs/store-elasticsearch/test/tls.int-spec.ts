import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { elasticsearchConfig, loadConfig } from '@ecom/config';
import { testPki, tlsTerminator, type TestPki, type TlsTerminator } from '@ecom/testing';
import { elasticsearchClient } from '../src';

// ELASTICSEARCH_CA_FILE as production sets it (ECK's CA): the service's own client, against https with a
// certificate from a CA of the test's making, in front of the stack's real Elasticsearch. The right CA and
// host name answer; another CA, or a certificate for another host, do not

describe('Elasticsearch over https, the node checked against ELASTICSEARCH_CA_FILE', () => {
  const stack = new URL(loadConfig([elasticsearchConfig('x')], { ...process.env }).elasticsearch.node);
  let dir: string;
  let pki: TestPki;
  let terminator: TlsTerminator;
  const caFile = (name: string, pem: string) => {
    const path = join(dir, name);
    writeFileSync(path, pem);
    return path;
  };
  const info = async (host: string, ca: string | undefined) => {
    const node = `https://${host}:${terminator.port}`;
    const client = elasticsearchClient({ node, indexPrefix: 'x', indexReplicas: 0, caFile: ca });
    try {
      return (await client.cluster.health()).cluster_name;
    } finally {
      await client.close();
    }
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'es-tls-'));
    pki = await testPki(['ecom-search-es-http', '127.0.0.1']);
    terminator = await tlsTerminator({ host: stack.hostname, port: Number(stack.port || 9200) }, pki);
  }, 60_000);
  afterAll(async () => {
    await terminator?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers with the CA that signed the node certificate, over TLS', async () => {
    const before = terminator.handshakes;
    expect(await info('127.0.0.1', caFile('ca.crt', pki.caCert))).toEqual(expect.any(String));
    expect(terminator.handshakes).toBeGreaterThan(before);
  });

  it('refuses a node whose certificate another CA signed, and one whose certificate names another host', async () => {
    const other = await testPki(['ecom-search-es-http', '127.0.0.1']);
    await expect(info('127.0.0.1', caFile('other-ca.crt', other.caCert))).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
    await expect(info('localhost', caFile('ca.crt', pki.caCert))).rejects.toThrow(/localhost|altnames|does not match/i);
  });

  it("without a CA file the system's CAs decide, and they do not know the operator's", async () => {
    await expect(info('127.0.0.1', undefined)).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
  });
});
