export * from './lib/cassandra.module';
export * from './lib/cassandra.health';
