// npm run dlq -- list [topic] | replay <topic> | purge <topic>: see the dead letters of the platform,
// send them back to their topic once the cause is fixed, and delete them afterwards. usage in dlq-args.ts.
import { Logger } from '@nestjs/common';
import { ConfigValidationError, kafkaConfig, loadConfig, readEnv, type KafkaConfig } from '@ecom/config';
import { TopicNames } from '@ecom/events';
import {
  countDeadLetters,
  createKafka,
  deadLetterSource,
  listDeadLetters,
  MissingTopicError,
  purgeDeadLetters,
  replayDeadLetters,
  UnknownTopicError,
} from '@ecom/kafka';
import { parseDlqArgs, USAGE, UsageError, type DlqCommand } from './dlq-args';
import { countsText, listingText, purgeText, replayText } from './dlq-output';

class Unreachable extends Error {}

async function reachable(cfg: KafkaConfig): Promise<void> {
  const admin = createKafka(cfg, { clientId: `${cfg.clientId}-probe`, fastFail: true }).admin();
  try {
    await admin.connect();
    await admin.describeCluster();
  } catch (e) {
    throw new Unreachable(
      `cannot reach kafka at ${cfg.brokers.join(',')} (${(e as Error).message}): is the stack up? npm run stack -- up; ` +
        'or point KAFKA_BROKERS at your cluster',
    );
  } finally {
    await admin.disconnect();
  }
}

async function run(command: Exclude<DlqCommand, { name: 'help' }>): Promise<number> {
  const cfg = loadConfig([kafkaConfig('dlq')], readEnv()).kafka;
  const names = new TopicNames(cfg.topicPrefix);
  if (command.topic) deadLetterSource(command.topic); // an unknown topic is bad usage, before any connection
  await reachable(cfg);
  const kafka = createKafka(cfg);
  const where = cfg.topicPrefix ? ` (topic prefix "${cfg.topicPrefix}")` : '';
  if (command.name === 'list' && !command.topic) {
    console.log(`dead letters on ${cfg.brokers.join(',')}${where}`);
    console.log(countsText(await countDeadLetters(kafka, names)));
    return 0;
  }
  if (command.name === 'list') {
    console.log(listingText(await listDeadLetters(kafka, names, command.topic ?? '', { limit: command.limit })));
    return 0;
  }
  if (command.name === 'purge') {
    console.log(`dead letters on ${cfg.brokers.join(',')}${where}`);
    console.log(purgeText(await purgeDeadLetters(kafka, names, command.topic, { dryRun: !command.yes }), !command.yes));
    return 0;
  }
  const result = await replayDeadLetters(kafka, names, command.topic, { ids: command.ids, since: command.since, dryRun: command.dryRun });
  console.log(replayText(result, command.dryRun));
  return result.missingIds.length > 0 ? 1 : 0;
}

async function main(argv: readonly string[]): Promise<number> {
  // kafkajs logs through nest's logger; a cli says what went wrong itself, once
  Logger.overrideLogger(['error']);
  try {
    const command = parseDlqArgs(argv);
    if (command.name === 'help') {
      console.log(USAGE);
      return 0;
    }
    Logger.overrideLogger(false);
    return await run(command);
  } catch (e) {
    if (e instanceof UsageError || e instanceof UnknownTopicError) {
      console.error(`dlq: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    if (e instanceof ConfigValidationError || e instanceof Unreachable || e instanceof MissingTopicError) {
      console.error(`dlq: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`dlq: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  },
);
