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

// warnings kafkajs gives at every start about a choice made on purpose, logged at debug: a batch that still
// fails after the producer's retries is sent again by the outbox relay, and consumers drop the duplicate by
// the envelope's id (docs/adr/0005-outbox-consumers-dead-letters.md), so nothing leans on the producer's
// exactly-once; unlimited retries would instead hold the relay inside one send for as long as Kafka is down
const DELIBERATE = new Set(['Limiting retries for the idempotent producer may invalidate EoS guarantees']);

// kafkajs logs through nest's logger (and so through pino), as structured fields
function logCreator() {
  const logger = new Logger('kafkajs');
  return ({ level, log }: LogEntry) => {
    const { message, ...extra } = log;
    logger[DELIBERATE.has(message) ? 'debug' : (levels[level] ?? 'log')]({ msg: message, ...extra });
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
