import { Client, types } from 'cassandra-driver';
import type { CassandraConfig } from '@ecom/config';

const CONSISTENCY: Record<CassandraConfig['consistency'], types.consistencies> = {
  LOCAL_QUORUM: types.consistencies.localQuorum,
  QUORUM: types.consistencies.quorum,
};

/** the driver's client as configured: contact points, the local datacenter, and every query's consistency */
export function cassandraClient(cfg: CassandraConfig): Client {
  return new Client({
    contactPoints: cfg.contactPoints,
    localDataCenter: cfg.localDataCenter,
    queryOptions: { consistency: CONSISTENCY[cfg.consistency] },
  });
}

/**
 * the replication of a keyspace the service creates: its replication factor in the local datacenter,
 * the one the contact points are in (NetworkTopologyStrategy, as production's operator-made datacenters
 * expect; one datacenter locally too)
 */
export function replicationOf(cfg: Pick<CassandraConfig, 'localDataCenter' | 'replicationFactor'>): string {
  return `{'class': 'NetworkTopologyStrategy', '${cfg.localDataCenter}': ${cfg.replicationFactor}}`;
}
