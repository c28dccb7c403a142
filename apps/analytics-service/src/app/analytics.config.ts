import { jwtVerifyConfig, cassandraConfig, httpConfig, kafkaConfig, serviceConfig } from '@ecom/config';
import { rollupsConfig } from './rollups/rollups.config';

export const SERVICE = 'analytics-service';

// events gathered for up to 100 ms: each batch is a few Cassandra requests whatever its size, and
// Cassandra spends most of its CPU per request, not per row (docs/performance.md, change 38)
const kafka = kafkaConfig(SERVICE, { fetchWaitMs: 100 });
const cassandra = cassandraConfig('analytics');
const rollups = rollupsConfig();

export const analyticsConfig = [serviceConfig(SERVICE), httpConfig(3004), kafka, jwtVerifyConfig(), cassandra, rollups] as const;

/** what `main.js rebuild` reads: the same settings, of what an analytics rebuild uses */
export const analyticsRebuildConfig = [kafka, cassandra, rollups] as const;
