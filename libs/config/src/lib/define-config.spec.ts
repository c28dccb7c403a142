import { ConfigValidationError, loadConfig } from './define-config';
import { httpConfig } from './pieces/http.config';
import { kafkaConfig } from './pieces/kafka.config';
import { generateKeyPairSync } from 'node:crypto';
import { jwtSignConfig, jwtVerifyConfig } from './pieces/auth.config';
import { postgresConfig } from './pieces/postgres.config';
import { mongodbConfig } from './pieces/mongodb.config';
import { cassandraConfig } from './pieces/cassandra.config';

const pieces = [httpConfig(3003), kafkaConfig('order-service'), postgresConfig('orders')] as const;

function problemsOf(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigValidationError) return e.problems;
    throw e;
  }
  throw new Error('expected a ConfigValidationError');
}

describe('loadConfig', () => {
  it('gives defaults that point at the local stack', () => {
    const cfg = loadConfig(pieces, {});
    expect(cfg.http).toEqual({ host: '0.0.0.0', port: 3003, trustProxy: ['loopback'] });
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
    const problems = problemsOf(() => loadConfig(pieces, { KAFKA_BROKERS: '' }));
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

    it('gives a matching development pair, and refuses it in production naming each variable', () => {
      const cfg = loadConfig(jwt, { NODE_ENV: 'development' });
      expect(cfg.jwtVerify).toMatchObject({ issuer: 'ecom-user-service', audience: 'ecom' });
      expect(cfg.jwtVerify.publicKey.asymmetricKeyType).toBe('ed25519');
      expect(cfg.jwtSign.ttlSeconds).toBe(3600);
      expect(problemsOf(() => loadConfig(jwt, { NODE_ENV: 'production' }))).toEqual([
        'jwtVerify: JWT_PUBLIC_KEY must be set in production (the built-in development key is refused)',
        'jwtSign: JWT_PRIVATE_KEY must be set in production (the built-in development key is refused)',
      ]);
    });

    it('accepts an own pair in production, with literal \\n escapes', () => {
      const { pub, priv } = pair();
      const cfg = loadConfig(jwt, {
        NODE_ENV: 'production',
        JWT_PUBLIC_KEY: oneLine(pub),
        JWT_PRIVATE_KEY: oneLine(priv),
        JWT_TTL_SECONDS: '900',
      });
      expect(cfg.jwtVerify.publicKey.export({ type: 'spki', format: 'pem' })).toBe(pub);
      expect(cfg.jwtSign.privateKey.export({ type: 'pkcs8', format: 'pem' })).toBe(priv);
      expect(cfg.jwtSign.ttlSeconds).toBe(900);
    });

    it('refuses keys that are not an ed25519 pair, without echoing key material', () => {
      const a = pair();
      const b = pair();
      const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
      expect(problemsOf(() => loadConfig(jwt, { JWT_PUBLIC_KEY: a.pub, JWT_PRIVATE_KEY: b.priv }))).toEqual([
        'jwtSign: JWT_PRIVATE_KEY does not belong to JWT_PUBLIC_KEY',
      ]);
      const problems = problemsOf(() => loadConfig(jwt, { JWT_PUBLIC_KEY: a.priv, JWT_PRIVATE_KEY: 'not a key' }));
      expect(problems).toEqual([
        'jwtVerify: JWT_PUBLIC_KEY must be an Ed25519 public key in PEM (-----BEGIN PUBLIC KEY-----)',
        'jwtSign: JWT_PRIVATE_KEY must be an Ed25519 private key in PEM (-----BEGIN PRIVATE KEY-----)',
      ]);
      expect(problems.join('\n')).not.toContain(a.priv.split('\n')[1]);
      expect(problems.join('\n')).not.toContain('not a key');
      expect(problemsOf(() => loadConfig([jwtVerifyConfig()], { JWT_PUBLIC_KEY: rsa }))[0]).toMatch(
        /JWT_PUBLIC_KEY must be an Ed25519 public key/,
      );
    });
  });

  it('validates urls and identifiers', () => {
    const problems = problemsOf(() =>
      loadConfig([mongodbConfig('users'), cassandraConfig('analytics')], {
        MONGODB_URI: 'http://nope',
        CASSANDRA_KEYSPACE: 'Bad-Name',
      }),
    );
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['CASSANDRA_KEYSPACE', 'MONGODB_URI']);
  });
});
