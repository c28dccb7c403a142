import { Logger } from '@nestjs/common';
import { ConfigValidationError, type KafkaConfig } from '@ecom/config';
import { TopicNames } from '@ecom/events';
import { createKafka } from '../client/create-kafka';
import { rebuildReadModel, type ReadModelRebuild, type RebuildReport } from './rebuild-read-model';

/** what a service's `rebuild` command opens: its config's kafka piece, the model, and how to close its store */
export interface RebuildJob {
  readonly kafka: KafkaConfig;
  readonly model: ReadModelRebuild;
  close(): Promise<void>;
}

export const REBUILD_USAGE = `usage: node main.js rebuild [--keep-previous]
  replays the retained events of the service's read model into a new copy, then switches readers to it.
  --keep-previous  keeps the copy readers left (dropped by default)`;

// one line per step, on stdout: a rebuild is run by a person or a job, and read as it goes
const line = (level: string, obj: object, msg: string) =>
  process.stdout.write(
    `[rebuild] ${level === 'log' ? '' : `${level}: `}${msg}${Object.keys(obj).length ? ` ${JSON.stringify(obj)}` : ''}\n`,
  );
const log = {
  log: (obj: object, msg: string) => line('log', obj, msg),
  warn: (obj: object, msg: string) => line('warn', obj, msg),
  error: (obj: object, msg: string) => line('error', obj, msg),
};

export function reportText(r: RebuildReport): string {
  const previous = r.previous
    ? r.droppedPrevious
      ? `; the copy they left, ${r.previous}, dropped`
      : `; the copy they left, ${r.previous}, kept (--keep-previous)`
    : '';
  const skipped = r.skipped > 0 ? `, ${r.skipped} skipped (see the log)` : '';
  return `readers now use ${r.copy}: ${r.handled} events replayed${skipped} in ${r.seconds.toFixed(1)} s${previous}`;
}

/**
 * the `rebuild` command of a service's main.js: rebuilds its read model by replay (rebuildReadModel)
 * and exits 0 when readers use the new copy, 1 when it failed (the live copy is untouched then), 2 on
 * bad usage
 */
export async function runRebuild(service: string, open: () => Promise<RebuildJob>, argv: readonly string[]): Promise<never> {
  const unknown = argv.filter((a) => a !== '--keep-previous');
  if (unknown.length > 0 || argv.includes('--help')) {
    process.stderr.write(`${unknown.length ? `${service} rebuild: unknown argument ${unknown[0]}\n` : ''}${REBUILD_USAGE}\n`);
    process.exit(unknown.length && !argv.includes('--help') ? 2 : 0);
  }
  // kafkajs and the store clients log through nest's logger: their warnings stay, the chatter goes
  Logger.overrideLogger(['error', 'warn']);
  let job: RebuildJob | undefined;
  try {
    job = await open();
    const kafka = createKafka(job.kafka);
    const report = await rebuildReadModel(kafka, new TopicNames(job.kafka.topicPrefix), job.kafka.groupId, job.model, {
      keepPrevious: argv.includes('--keep-previous'),
      log,
    });
    log.log({}, reportText(report));
    await job.close();
    process.exit(0);
  } catch (e) {
    const message = e instanceof ConfigValidationError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e);
    process.stderr.write(`${service} rebuild failed (the lines above say how far it got): ${message}\n`);
    await job?.close().catch(() => undefined);
    process.exit(1);
  }
}
