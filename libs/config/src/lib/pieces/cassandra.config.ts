import { z } from 'zod';
import { defineConfig, type ConfigValue } from '../define-config';
import { hostList, text } from '../env';

export const cassandraConfig = (keyspace: string) =>
  defineConfig(
    'cassandra',
    z.object({
      CASSANDRA_CONTACT_POINTS: hostList('127.0.0.1:9042'),
      CASSANDRA_LOCAL_DC: text('datacenter1'),
      CASSANDRA_KEYSPACE: z
        .string()
        .regex(/^[a-z][a-z0-9_]{0,47}$/, 'must be a lowercase cql identifier')
        .default(keyspace),
      CASSANDRA_REPLICATION_FACTOR: z.coerce.number().int().min(1, 'must be at least 1').default(1),
      // every read and write, unless a statement says otherwise. a quorum both ways, so a read sees every
      // write acknowledged before it began, which the analytics rollups rely on; ONE would not (nor would
      // EACH_QUORUM, which Cassandra takes for writes only). QUORUM counts the replicas of every datacenter
      CASSANDRA_CONSISTENCY: z
        .enum(['LOCAL_QUORUM', 'QUORUM'], {
          error: 'must be LOCAL_QUORUM or QUORUM: a read must see every acknowledged write (the rollups rely on it)',
        })
        .default('LOCAL_QUORUM'),
    }),
    (v) => ({
      contactPoints: v.CASSANDRA_CONTACT_POINTS,
      localDataCenter: v.CASSANDRA_LOCAL_DC,
      keyspace: v.CASSANDRA_KEYSPACE,
      replicationFactor: v.CASSANDRA_REPLICATION_FACTOR,
      consistency: v.CASSANDRA_CONSISTENCY,
    }),
  );

export type CassandraConfig = ConfigValue<ReturnType<typeof cassandraConfig>>;
