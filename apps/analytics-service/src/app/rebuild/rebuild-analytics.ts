import type { Client } from 'cassandra-driver';
import { loadConfig, readEnv, type CassandraConfig } from '@ecom/config';
import type { ReadModelRebuild, RebuildJob } from '@ecom/kafka';
import {
  cassandraClient,
  CassandraKeyspace,
  createGeneration,
  dropGeneration,
  GENERATION_TTL_MS,
  generationName,
  readGeneration,
  writeGeneration,
} from '@ecom/store-cassandra';
import { analyticsRebuildConfig } from '../analytics.config';
import { analyticsSchema } from '../analytics.schema';
import { factsOf, RECORDED_TOPICS, type RecordedTopic } from '../facts/event-facts';
import { FactsRepository } from '../facts/facts.repository';
import { RollupPolicy } from '../rollups/rollup-policy';

/**
 * the analytics tables rebuilt from the recorded topics into a new generation (a keyspace of its
 * own), written as the live consumer writes them; then the generation row names it. instances read it
 * again within GENERATION_TTL_MS, so the replay reads on for twice that before its last catch-up.
 * rollups are not replayed: they are computed again from the facts when first read.
 */
export function analyticsRebuild(cassandra: Client, cfg: CassandraConfig, maxClockSkewMs: number, at = new Date()): ReadModelRebuild {
  const base = cfg.keyspace;
  const copy = generationName(base, at);
  const facts = new FactsRepository(cassandra, new RollupPolicy(maxClockSkewMs), new CassandraKeyspace(cassandra, base));
  return {
    name: `analytics tables of keyspace ${base}`,
    topics: RECORDED_TOPICS,
    settleMs: 2 * GENERATION_TTL_MS,
    async prepare() {
      await createGeneration(cassandra, copy, cfg, analyticsSchema);
      return copy;
    },
    handle: (topic, event) => facts.record(factsOf(topic as RecordedTopic, event as never), copy),
    async switchOver() {
      const previous = await readGeneration(cassandra, base);
      await writeGeneration(cassandra, base, copy);
      return previous;
    },
    drop: (keyspace) => dropGeneration(cassandra, base, keyspace, analyticsSchema),
  };
}

/** `node main.js rebuild` of analytics-service */
export async function analyticsRebuildJob(): Promise<RebuildJob> {
  const cfg = loadConfig(analyticsRebuildConfig, readEnv());
  const cassandra = cassandraClient(cfg.cassandra);
  await cassandra.connect();
  return {
    kafka: cfg.kafka,
    model: analyticsRebuild(cassandra, cfg.cassandra, cfg.rollups.maxClockSkewMs),
    close: () => cassandra.shutdown(),
  };
}
