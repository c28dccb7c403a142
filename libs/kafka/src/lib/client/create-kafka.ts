import { Logger } from '@nestjs/common';
import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import { readCaFile, type KafkaConfig } from '@ecom/config';
import { stopKafkajsIdleTimer } from './kafkajs-idle-timer';

const levels: Record<number, 'error' | 'warn' | 'log' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'log',
  [logLevel.DEBUG]: 'debug',
};

// kafkajs logs through nest's logger (and so through pino), as structured fields
function logCreator() {
  const logger = new Logger('kafkajs');
  return ({ level, log }: LogEntry) => {
    const { message, ...extra } = log;
    logger[levels[level] ?? 'log']({ msg: message, ...extra });
  };
}

export function createKafka(cfg: KafkaConfig, overrides: { clientId?: string; fastFail?: boolean } = {}): Kafka {
  stopKafkajsIdleTimer();
  return new Kafka({
    clientId: overrides.clientId ?? cfg.clientId,
    brokers: cfg.brokers,
    // the broker's certificate must chain to the CA and name the host
    ...(cfg.sslCaFile && { ssl: { ca: [readCaFile('KAFKA_SSL_CA_FILE', cfg.sslCaFile)], rejectUnauthorized: true } }),
    logLevel: logLevel.WARN,
    logCreator,
    // health checks want an answer now, not after kafkajs' long reconnect schedule
    ...(overrides.fastFail
      ? { connectionTimeout: 1_000, requestTimeout: 1_500, retry: { retries: 0 } }
      : { connectionTimeout: 3_000, retry: { initialRetryTime: 300, retries: 8 } }),
  });
}
