import { ConfigValidationError, loadConfig } from './define-config';
import { httpConfig } from './pieces/http.config';
import { kafkaConfig } from './pieces/kafka.config';
import { authConfig } from './pieces/auth.config';
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
    expect(cfg.http).toEqual({ host: '0.0.0.0', port: 3003 });
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

  it('refuses the development jwt secret in production', () => {
    expect(() => loadConfig([authConfig()], { NODE_ENV: 'development' })).not.toThrow();
    expect(problemsOf(() => loadConfig([authConfig()], { NODE_ENV: 'production' }))[0]).toMatch(/^JWT_SECRET: must be set in production/);
    const cfg = loadConfig([authConfig()], { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) });
    expect(cfg.auth.jwtSecret).toHaveLength(40);
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
