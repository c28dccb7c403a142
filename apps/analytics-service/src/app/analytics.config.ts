import { jwtVerifyConfig, cassandraConfig, httpConfig, kafkaConfig, serviceConfig } from '@ecom/config';
import { rollupsConfig } from './rollups/rollups.config';

export const SERVICE = 'analytics-service';

const kafka = kafkaConfig(SERVICE);
const cassandra = cassandraConfig('analytics');
const rollups = rollupsConfig();

export const analyticsConfig = [serviceConfig(SERVICE), httpConfig(3004), kafka, jwtVerifyConfig(), cassandra, rollups] as const;

/** what `main.js rebuild` reads: the same settings, of what an analytics rebuild uses */
export const analyticsRebuildConfig = [kafka, cassandra, rollups] as const;
