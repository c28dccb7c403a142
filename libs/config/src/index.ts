export * from './lib/define-config';
export * from './lib/config.module';
export * from './lib/read-env';
// the building blocks of a piece, for a service's own pieces: the same rules and messages everywhere
export { intBetween, positiveInt } from './lib/env';
export * from './lib/local-stack';
export * from './lib/pieces/service.config';
export * from './lib/pieces/http.config';
export * from './lib/pieces/kafka.config';
export * from './lib/pieces/mongodb.config';
export * from './lib/pieces/postgres.config';
export * from './lib/pieces/redis.config';
export * from './lib/pieces/cassandra.config';
export * from './lib/pieces/elasticsearch.config';
export * from './lib/pieces/auth.config';
export * from './lib/pieces/rate-limits.config';
export * from './lib/pieces/tracing.config';
export * from './lib/pieces/tls';
