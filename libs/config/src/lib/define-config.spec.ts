import { configProblems, ConfigValidationError, loadConfig } from './define-config';
import { httpConfig } from './pieces/http.config';
import { kafkaConfig } from './pieces/kafka.config';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jwtSignConfig, jwtVerifyConfig } from './pieces/auth.config';
import { postgresConfig } from './pieces/postgres.config';
import { mongodbConfig } from './pieces/mongodb.config';
import { cassandraConfig } from './pieces/cassandra.config';
import { redisConfig } from './pieces/redis.config';

const pieces = [httpConfig(3003), kafkaConfig('order-service'), postgresConfig('orders')] as const;

describe('loadConfig', () => {
  it('gives defaults that point at the local stack', () => {
    const cfg = loadConfig(pieces, {});
    expect(cfg.http).toEqual({ host: '127.0.0.1', port: 3003, trustProxy: ['loopback'], management: { host: '127.0.0.1', port: 9003 } });
    expect(cfg.kafka.brokers).toEqual(['127.0.0.1:9092']);
    expect(cfg.kafka.groupId).toBe('order-service');
    expect(cfg.postgres).toMatchObject({ host: '127.0.0.1', port: 5432, database: 'orders' });
  });

  it('reads and converts variables', () => {
    const cfg = loadConfig(pieces, { HTTP_PORT: '8080', KAFKA_BROKERS: 'a:1, b:2', POSTGRES_POOL_SIZE: '5' });
    expect(cfg.http.port).toBe(8080);
    expect(cfg.kafka.brokers).toEqual(['a:1', 'b:2']);
    expect(cfg.postgres.poolSize).toBe(5);
  });

  it('treats an empty KAFKA_BROKERS as an error, not as the default', () => {
    const problems = configProblems(pieces, { KAFKA_BROKERS: '' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^KAFKA_BROKERS: must list at least one host:port/);
  });

  it('lists every problem at once, each naming its variable', () => {
    const env = { HTTP_PORT: 'eighty', KAFKA_BROKERS: 'no-port', POSTGRES_PORT: '70000', POSTGRES_USER: ' ' };
    let error: unknown;
    try {
      loadConfig(pieces, env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    const { problems, message } = error as ConfigValidationError;
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['HTTP_PORT', 'KAFKA_BROKERS', 'POSTGRES_PORT', 'POSTGRES_USER']);
    expect(message).toContain('Invalid configuration (4 problems)');
    expect(message).toContain('HTTP_PORT: must be a port number (got "eighty")');
  });

  describe('jwt keys', () => {
    const jwt = [jwtVerifyConfig(), jwtSignConfig()] as const;
    const pair = () => {
      const { publicKey, privateKey } = generateKeyPairSync('ed25519');
      return {
        pub: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        priv: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      };
    };
    // how a pem usually arrives through a one-line env file or secret store
    const oneLine = (pem: string) => pem.trim().replace(/\n/g, '\\n');

    // the development key committed to this repository until 2026-11: public now, so refused everywhere
    const PUBLISHED = `-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEA2q2YWTYcx7yVsmVrV8wrBmpN/+Ft9djvWXX3yXNwfFU=
-----END PUBLIC KEY-----`;
    // runs fn in an empty directory, where no local stack key can be found
    const elsewhere = <T>(fn: (dir: string) => T): T => {
      const dir = mkdtempSync(join(tmpdir(), 'keys-'));
      const cwd = process.cwd();
      process.chdir(dir);
      try {
        return fn(dir);
      } finally {
        process.chdir(cwd);
        rmSync(dir, { recursive: true, force: true });
      }
    };

    it('has no built-in key: without one it refuses to start and says how to get one', () => {
      const problems = elsewhere(() => configProblems(jwt, {}));
      expect(problems).toHaveLength(2);
      expect(problems[0]).toMatch(/^jwtVerify: JWT_PUBLIC_KEY is not set: .*JWT_PUBLIC_KEY_FILE.*npm start/);
      expect(problems[1]).toMatch(/^jwtSign: JWT_PRIVATE_KEY is not set: .*JWT_PRIVATE_KEY_FILE/);
    });

    it('refuses the published development key whatever NODE_ENV says', () => {
      for (const NODE_ENV of [undefined, 'development', 'test', 'Production', 'production']) {
        expect(configProblems([jwtVerifyConfig()], { NODE_ENV, JWT_PUBLIC_KEY: PUBLISHED })).toEqual([
          expect.stringMatching(/^jwtVerify: JWT_PUBLIC_KEY holds a published key, which anyone can sign with/),
        ]);
      }
      // among others, too: a rotation must not smuggle it back in
      expect(configProblems([jwtVerifyConfig()], { JWT_PUBLIC_KEY: `${pair().pub}${PUBLISHED}` })).toHaveLength(1);
    });

    it('accepts an own pair, with literal \\n escapes, and a ttl up to an hour', () => {
      const { pub, priv } = pair();
      const cfg = loadConfig(jwt, { JWT_PUBLIC_KEY: oneLine(pub), JWT_PRIVATE_KEY: oneLine(priv), JWT_TTL_SECONDS: '3600' });
      expect(cfg.jwtVerify).toMatchObject({ issuer: 'ecom-user-service', audience: 'ecom' });
      expect(cfg.jwtVerify.publicKeys.map((k) => k.export({ type: 'spki', format: 'pem' }))).toEqual([pub]);
      expect(cfg.jwtSign.privateKey.export({ type: 'pkcs8', format: 'pem' })).toBe(priv);
      expect(cfg.jwtSign.ttlSeconds).toBe(3600);
      expect(loadConfig(jwt, { JWT_PUBLIC_KEY: pub, JWT_PRIVATE_KEY: priv }).jwtSign.ttlSeconds).toBe(900);
      expect(configProblems(jwt, { JWT_PUBLIC_KEY: pub, JWT_PRIVATE_KEY: priv, JWT_TTL_SECONDS: '86400' })).toEqual([
        'JWT_TTL_SECONDS: must be at most 3600 (the longest any service accepts) (got "86400")',
      ]);
    });

    it('reads keys from the files _FILE names, but not from both a value and a file', () => {
      elsewhere((dir) => {
        const { pub, priv } = pair();
        writeFileSync(join(dir, 'pub.pem'), pub);
        writeFileSync(join(dir, 'priv.pem'), priv);
        const cfg = loadConfig(jwt, { JWT_PUBLIC_KEY_FILE: join(dir, 'pub.pem'), JWT_PRIVATE_KEY_FILE: join(dir, 'priv.pem') });
        expect(cfg.jwtSign.privateKey.export({ type: 'pkcs8', format: 'pem' })).toBe(priv);
        expect(configProblems([jwtVerifyConfig()], { JWT_PUBLIC_KEY: pub, JWT_PUBLIC_KEY_FILE: join(dir, 'pub.pem') })).toEqual([
          'jwtVerify: set JWT_PUBLIC_KEY or JWT_PUBLIC_KEY_FILE, not both',
        ]);
        expect(configProblems([jwtVerifyConfig()], { JWT_PUBLIC_KEY_FILE: join(dir, 'missing.pem') })).toEqual([
          `jwtVerify: JWT_PUBLIC_KEY_FILE: cannot read ${join(dir, 'missing.pem')} (ENOENT)`,
        ]);
      });
    });

    it("finds the local stack's pair in .stack/keys when run from the repository root", () => {
      elsewhere((dir) => {
        const { pub, priv } = pair();
        mkdirSync(join(dir, '.stack/keys'), { recursive: true });
        writeFileSync(join(dir, '.stack/keys/jwt-public.pem'), pub);
        writeFileSync(join(dir, '.stack/keys/jwt-private.pem'), priv);
        expect(loadConfig(jwt, {}).jwtSign.privateKey.export({ type: 'pkcs8', format: 'pem' })).toBe(priv);
      });
    });

    it('verifies with several public keys during a rotation; the private key must belong to one of them', () => {
      const old = pair();
      const next = pair();
      const cfg = loadConfig(jwt, { JWT_PUBLIC_KEY: `${old.pub}\n${next.pub}`, JWT_PRIVATE_KEY: next.priv });
      expect(cfg.jwtVerify.publicKeys).toHaveLength(2);
      expect(configProblems(jwt, { JWT_PUBLIC_KEY: old.pub, JWT_PRIVATE_KEY: next.priv })).toEqual([
        'jwtSign: JWT_PRIVATE_KEY does not belong to any key in JWT_PUBLIC_KEY',
      ]);
    });

    it('refuses keys that are not an ed25519 pair, without echoing key material', () => {
      const a = pair();
      const b = pair();
      const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
      expect(configProblems(jwt, { JWT_PUBLIC_KEY: a.pub, JWT_PRIVATE_KEY: b.priv })).toEqual([
        'jwtSign: JWT_PRIVATE_KEY does not belong to any key in JWT_PUBLIC_KEY',
      ]);
      const problems = configProblems(jwt, { JWT_PUBLIC_KEY: a.priv, JWT_PRIVATE_KEY: 'not a key' });
      expect(problems).toEqual([
        'jwtVerify: JWT_PUBLIC_KEY must be one or more Ed25519 public keys in PEM (-----BEGIN PUBLIC KEY-----)',
        'jwtSign: JWT_PRIVATE_KEY must be an Ed25519 private key in PEM (-----BEGIN PRIVATE KEY-----)',
      ]);
      expect(problems.join('\n')).not.toContain(a.priv.split('\n')[1]);
      expect(problems.join('\n')).not.toContain('not a key');
      expect(configProblems([jwtVerifyConfig()], { JWT_PUBLIC_KEY: rsa })[0]).toMatch(
        /JWT_PUBLIC_KEY must be one or more Ed25519 public keys/,
      );
    });
  });

  it('validates urls and identifiers', () => {
    const problems = configProblems([mongodbConfig('users'), cassandraConfig('analytics')], {
      MONGODB_URI: 'http://nope',
      CASSANDRA_KEYSPACE: 'Bad-Name',
    });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['CASSANDRA_KEYSPACE', 'MONGODB_URI']);
  });

  it('reaches redis straight by default, or through the sentinels listed, under the name they watch it by', () => {
    expect(loadConfig([redisConfig('users')], {}).redis).toEqual({
      url: 'redis://127.0.0.1:6379',
      keyPrefix: 'users:',
      replicaWait: { replicas: 0, timeoutMs: 1000 },
    });
    expect(loadConfig([redisConfig('users')], { REDIS_SENTINELS: 'sentinel-0:26379, sentinel-1:26379' }).redis.sentinels).toEqual({
      hosts: [
        { host: 'sentinel-0', port: 26379 },
        { host: 'sentinel-1', port: 26379 },
      ],
      master: 'ecom',
    });
    expect(configProblems([redisConfig('users')], { REDIS_SENTINELS: '' })).toEqual([
      expect.stringMatching(/^REDIS_SENTINELS: must list at least one host:port, or be unset/),
    ]);
    expect(configProblems([redisConfig('users')], { REDIS_SENTINELS: 'sentinel-0' })).toEqual([
      expect.stringMatching(/^REDIS_SENTINELS: each entry must be host:port/),
    ]);
  });

  it('takes a quorum consistency for cassandra, LOCAL_QUORUM unless told, and refuses one a read could miss a write with', () => {
    expect(loadConfig([cassandraConfig('analytics')], {}).cassandra.consistency).toBe('LOCAL_QUORUM');
    expect(loadConfig([cassandraConfig('analytics')], { CASSANDRA_CONSISTENCY: 'QUORUM' }).cassandra.consistency).toBe('QUORUM');
    for (const weak of ['ONE', 'LOCAL_ONE', 'EACH_QUORUM'])
      expect(configProblems([cassandraConfig('analytics')], { CASSANDRA_CONSISTENCY: weak })).toEqual([
        expect.stringMatching(/^CASSANDRA_CONSISTENCY: must be LOCAL_QUORUM or QUORUM: a read must see every acknowledged write/),
      ]);
  });
});
