export * from './lib/with-retry';
export * from './lib/postgres/postgres.module';
export * from './lib/mongo/mongo.module';
export * from './lib/redis/redis.module';
export * from './lib/cassandra/cassandra.module';
export * from './lib/elasticsearch/elasticsearch.module';
export * from './lib/rate-limits/redis-rate-limit-counts';
export * from './lib/rate-limits/postgres-rate-limit-counts';
