import { types, type Client, type ClientOptions } from 'cassandra-driver';
import type { CassandraConfig } from '@ecom/config';
import { cassandraClient, replicationOf } from './cassandra-client';

const cfg: Omit<CassandraConfig, 'consistency'> = {
  contactPoints: ['127.0.0.1:9042'],
  localDataCenter: 'dc1',
  keyspace: 'analytics',
  replicationFactor: 3,
};
// the options the client was made with (the driver keeps them, its typings do not say so)
const optionsOf = (client: Client) => (client as unknown as { options: ClientOptions }).options;

describe('cassandraClient', () => {
  it('runs every query at the configured consistency unless a statement says otherwise', () => {
    expect(optionsOf(cassandraClient({ ...cfg, consistency: 'LOCAL_QUORUM' })).queryOptions?.consistency).toBe(
      types.consistencies.localQuorum,
    );
    expect(optionsOf(cassandraClient({ ...cfg, consistency: 'QUORUM' })).queryOptions?.consistency).toBe(types.consistencies.quorum);
  });
});

describe('replicationOf', () => {
  it('replicates a keyspace in the local datacenter, as many times as configured', () => {
    expect(replicationOf(cfg)).toBe("{'class': 'NetworkTopologyStrategy', 'dc1': 3}");
  });
});
