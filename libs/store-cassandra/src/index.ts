export * from './lib/cassandra.module';
export * from './lib/cassandra-client';
export * from './lib/cassandra.health';
export {
  CassandraKeyspace,
  OneGenerationPerRequest,
  createGeneration,
  dropGeneration,
  GENERATION_TTL_MS,
  generationName,
  readGeneration,
  writeGeneration,
} from './lib/keyspace-generations';
