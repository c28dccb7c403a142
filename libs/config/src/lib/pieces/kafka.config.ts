import { z } from 'zod';
import { defineConfig, type ConfigValue } from '../define-config';
import { hostList, positiveInt, text } from '../env';
import { caFilePath } from './tls';

export const kafkaConfig = (clientId: string) =>
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
      topicPrefix: v.KAFKA_TOPIC_PREFIX,
      sslCaFile: v.KAFKA_SSL_CA_FILE,
    }),
  );

export type KafkaConfig = ConfigValue<ReturnType<typeof kafkaConfig>>;
