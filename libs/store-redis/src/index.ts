export * from './lib/redis.module';
export * from './lib/redis-client';
export * from './lib/replicated';
export * from './lib/redis.health';
export * from './lib/run-once';
export * from './lib/redis-rate-limit-counts';
export * from './lib/coalesced-gets';
