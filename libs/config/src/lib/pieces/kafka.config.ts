import { z } from 'zod';
import { defineConfig, type ConfigValue } from '../define-config';
import { hostList, intBetween, positiveInt, text } from '../env';
import { caFilePath } from './tls';

/** what a service defaults to where the variable is not set */
export interface KafkaDefaults {
  /** KAFKA_FETCH_WAIT_MS: 0 unless the service gathers its events in batches */
  readonly fetchWaitMs?: number;
}

/** the longest a consumer's fetch may be held: well inside the session's heartbeats */
export const MAX_FETCH_WAIT_MS = 1_000;

export const kafkaConfig = (clientId: string, defaults: KafkaDefaults = {}) =>
  defineConfig(
    'kafka',
    z.object({
      KAFKA_BROKERS: hostList('127.0.0.1:9092'),
      KAFKA_CLIENT_ID: text(clientId),
      // consumer group; one per service so every service sees every event once
      KAFKA_GROUP_ID: text(clientId),
      KAFKA_MAX_RETRIES: positiveInt(5),
      KAFKA_RETRY_BACKOFF_MS: positiveInt(200),
      // how often a consumer commits the offsets of the messages it handled (and once more when it
      // stops); a crash redelivers at most this long's messages, which every handler is idempotent for
      KAFKA_COMMIT_INTERVAL_MS: positiveInt(500),
      // how long the broker may hold a consumer's fetch to gather more messages (up to a MB) before it
      // answers: 0 answers with the first message there is, for the consumers on the saga's path; a
      // consumer that writes its events in batches trades this much latency for fewer, fuller batches
      KAFKA_FETCH_WAIT_MS: intBetween(defaults.fetchWaitMs ?? 0, 0, MAX_FETCH_WAIT_MS),
      // put before every topic and consumer group name, so several platforms (or a test run next
      // to a running stack) can share one cluster without seeing each other's events
      KAFKA_TOPIC_PREFIX: z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9._-]*$/, 'may only contain letters, digits, ".", "_" and "-"')
        .max(100, 'must be at most 100 characters')
        .default(''),
      // TLS to the brokers, checked against this CA (PEM file), as Strimzi's tls listener serves it; unset: plain
      KAFKA_SSL_CA_FILE: caFilePath(),
    }),
    (v) => ({
      brokers: v.KAFKA_BROKERS,
      clientId: v.KAFKA_CLIENT_ID,
      groupId: v.KAFKA_GROUP_ID,
      maxRetries: v.KAFKA_MAX_RETRIES,
      retryBackoffMs: v.KAFKA_RETRY_BACKOFF_MS,
      commitIntervalMs: v.KAFKA_COMMIT_INTERVAL_MS,
      fetchWaitMs: v.KAFKA_FETCH_WAIT_MS,
      topicPrefix: v.KAFKA_TOPIC_PREFIX,
      sslCaFile: v.KAFKA_SSL_CA_FILE,
    }),
  );

export type KafkaConfig = ConfigValue<ReturnType<typeof kafkaConfig>>;
