import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { EventEnvelope, TopicName, TopicNames } from '@ecom/events';
import { TopicReplay, type ReplayCounts } from './topic-replay';

/**
 * a read model that can be built again from the events it is fed by, next to the live one: the
 * steps of `rebuildReadModel`, implemented by the model's store (an elasticsearch alias, a cassandra
 * keyspace generation)
 */
export interface ReadModelRebuild {
  /** what is rebuilt, for the log and the report ("search index products-catalog") */
  readonly name: string;
  /** the topics the live consumer feeds the model from */
  readonly topics: readonly TopicName[];
  /** makes the new, empty copy; names it */
  prepare(): Promise<string>;
  /** writes one event into the new copy, idempotently and order-proof as the live handler does */
  handle(topic: TopicName, event: EventEnvelope): Promise<void>;
  /** readers and live writers move to the new copy; returns the one they leave */
  switchOver(): Promise<string | undefined>;
  /** how long until every live writer has seen the switch (0 when it is atomic for them) */
  readonly settleMs: number;
  /** drops a copy nobody reads any more */
  drop(copy: string): Promise<void>;
}

export interface RebuildOptions {
  /** keep the copy the readers left, e.g. to compare it with the new one (default: dropped) */
  readonly keepPrevious?: boolean;
  readonly log: { log(obj: object, msg: string): void; warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

export interface RebuildReport extends ReplayCounts {
  readonly copy: string;
  readonly previous?: string;
  readonly droppedPrevious: boolean;
  readonly seconds: number;
}

/**
 * rebuilds a read model by replaying its retained events into a new copy, with reads answering
 * all along from the old copy and then the new one:
 * 1. the new copy is filled from the first retained event up to where the topics end when it gets there;
 * 2. readers and live writers switch to it (an alias swap, a generation pointer);
 * 3. once every live writer writes to the new copy (settleMs), the replay reads on to where the
 *    topics end then. the events the live consumer wrote into the old copy between 1 and 2 are
 *    in the new one by then, and everything after is written by the live consumer itself;
 * 4. the previous copy is dropped.
 * writes are idempotent and versioned, so an event written by both the replay and the live consumer
 * lands once.
 */
export async function rebuildReadModel(
  kafka: Kafka,
  names: TopicNames,
  groupId: string,
  model: ReadModelRebuild,
  { keepPrevious = false, log }: RebuildOptions,
): Promise<RebuildReport> {
  const started = Date.now();
  const copy = await model.prepare();
  log.log({ copy, topics: model.topics }, `rebuilding ${model.name}: replaying the retained events into ${copy}`);
  let replay: TopicReplay | undefined;
  let switched = false;
  try {
    replay = await TopicReplay.start({
      kafka,
      names,
      topics: model.topics,
      // its own group, which commits nothing: the live consumer's offsets are not touched
      groupId: names.group(`${groupId}.rebuild.${randomUUID()}`),
      handle: (topic, event) => model.handle(topic, event),
      log,
    });
    const filled = await replay.caughtUp();
    log.log({ ...filled }, `${copy} holds every retained event; switching readers to it`);
    const previous = await model.switchOver();
    switched = true;
    if (model.settleMs > 0) await new Promise((r) => setTimeout(r, model.settleMs));
    const counts = await replay.caughtUp();
    let droppedPrevious = false;
    if (previous && !keepPrevious) {
      await model.drop(previous);
      droppedPrevious = true;
    }
    if (counts.skipped > 0) log.warn({ skipped: counts.skipped }, 'events skipped: the log above says which and why');
    return { ...counts, copy, previous, droppedPrevious, seconds: (Date.now() - started) / 1000 };
  } catch (e) {
    // nobody reads a copy that was never switched to: it goes, and the live one stays as it was
    if (!switched)
      await model.drop(copy).catch((d: unknown) => log.warn({ copy, err: (d as Error).message }, 'could not drop the unfinished copy'));
    throw e;
  } finally {
    await replay?.stop();
  }
}
