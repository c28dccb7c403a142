import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configProblems, loadConfig } from '../define-config';
import { elasticsearchConfig } from './elasticsearch.config';
import { kafkaConfig } from './kafka.config';
import { postgresConfig } from './postgres.config';
import { readCaFile } from './tls';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('the CA files of TLS to the stores', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'ca-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('are off unless set, and a path when set (read when the client is made, not when the config loads)', () => {
    const pieces = [kafkaConfig('x'), postgresConfig('x'), elasticsearchConfig('x')] as const;
    const off = loadConfig(pieces, {});
    expect([off.kafka.sslCaFile, off.postgres.sslCaFile, off.elasticsearch.caFile]).toEqual([undefined, undefined, undefined]);
    const on = loadConfig(pieces, {
      KAFKA_SSL_CA_FILE: '/etc/ecom/tls/kafka/ca.crt',
      POSTGRES_SSL_CA_FILE: '/etc/ecom/tls/postgres/ca.crt',
      ELASTICSEARCH_CA_FILE: ' /etc/ecom/tls/elasticsearch/ca.crt ',
    });
    expect([on.kafka.sslCaFile, on.postgres.sslCaFile, on.elasticsearch.caFile]).toEqual([
      '/etc/ecom/tls/kafka/ca.crt',
      '/etc/ecom/tls/postgres/ca.crt',
      '/etc/ecom/tls/elasticsearch/ca.crt',
    ]);
    expect(configProblems([postgresConfig('x')], { POSTGRES_SSL_CA_FILE: ' ' })).toEqual(['POSTGRES_SSL_CA_FILE: must be a file path (got " ")']);
  });

  it('read as PEM, with an error that names the variable when the file is missing or holds no certificate', () => {
    const ca = join(dir, 'ca.crt');
    writeFileSync(ca, PEM);
    expect(readCaFile('POSTGRES_SSL_CA_FILE', ca)).toBe(PEM);
    expect(() => readCaFile('KAFKA_SSL_CA_FILE', join(dir, 'missing.crt'))).toThrow(`KAFKA_SSL_CA_FILE: cannot read ${join(dir, 'missing.crt')} (ENOENT)`);
    const key = join(dir, 'tls.key');
    writeFileSync(key, '-----BEGIN PRIVATE KEY-----\n');
    expect(() => readCaFile('ELASTICSEARCH_CA_FILE', key)).toThrow(`ELASTICSEARCH_CA_FILE: ${key} holds no PEM certificate`);
  });
});
