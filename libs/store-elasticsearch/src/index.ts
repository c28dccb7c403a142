export * from './lib/elasticsearch.module';
export * from './lib/elasticsearch.health';
export { createIndex, ensureIndex, indexBehind, swapAlias } from './lib/ensure-index';
