import { z } from 'zod';
import { defineConfig, type ConfigValue } from '../define-config';
import { hostList, positiveInt, text } from '../env';

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
    }),
    (v) => ({
      brokers: v.KAFKA_BROKERS,
      clientId: v.KAFKA_CLIENT_ID,
      groupId: v.KAFKA_GROUP_ID,
      maxRetries: v.KAFKA_MAX_RETRIES,
      retryBackoffMs: v.KAFKA_RETRY_BACKOFF_MS,
    }),
  );

export type KafkaConfig = ConfigValue<ReturnType<typeof kafkaConfig>>;
