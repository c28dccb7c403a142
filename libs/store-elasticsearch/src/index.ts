export * from './lib/elasticsearch.module';
export * from './lib/elasticsearch.health';
