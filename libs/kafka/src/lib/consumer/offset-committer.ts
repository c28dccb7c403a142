import type { Consumer, TopicPartitionOffsetAndMetadata } from 'kafkajs';

// errors that say the partition may have gone to another member: its next owner reads it from the
// last commit, and committing this offset later could move that owner's commit back
const REBALANCED = new Set(['ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'REBALANCE_IN_PROGRESS', 'FENCED_INSTANCE_ID']);

const keyOf = (o: { topic: string; partition: number }) => `${o.topic}\u0000${o.partition}`;

export interface CommitterLog {
  warn(obj: object, msg: string): void;
}

/**
 * commits the offsets of handled messages every `intervalMs`, and once more before the consumer
 * stops. kafkajs' own commit runs after every fetched batch, however small: under a light load each
 * batch is one message, so every message cost an OffsetCommit request, which the broker writes to
 * its offsets log, on top of the fetch that brought it. only offsets of messages that were handled
 * or dead-lettered are committed, so nothing is skipped; a crash redelivers at most the last
 * interval's messages, which the handlers are idempotent for.
 */
export class OffsetCommitter {
  private readonly pending = new Map<string, TopicPartitionOffsetAndMetadata>();
  private timer?: NodeJS.Timeout;
  private committing: Promise<void> = Promise.resolve();

  constructor(
    private readonly consumer: Pick<Consumer, 'commitOffsets'>,
    private readonly intervalMs: number,
    private readonly log: CommitterLog,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.commit(), this.intervalMs).unref();
  }

  /** the message at `offset` is done with: the group may move past it */
  handled(topic: string, partition: number, offset: string): void {
    this.pending.set(keyOf({ topic, partition }), { topic, partition, offset: (BigInt(offset) + 1n).toString() });
  }

  /** the consumer is gone (kafkajs gave up on it): its offsets are for the next one to read again */
  abandon(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }

  /** offsets handled and not yet committed, for tests and the shutdown log */
  get uncommitted(): number {
    return this.pending.size;
  }

  /** commits what was handled so far; one commit at a time, in order */
  commit(): Promise<void> {
    this.committing = this.committing.then(() => this.commitPending());
    return this.committing;
  }

  /** the last commit, before the consumer stops and leaves its group */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.commit();
  }

  private async commitPending(): Promise<void> {
    if (this.pending.size === 0) return;
    const offsets = [...this.pending.values()];
    this.pending.clear();
    try {
      await this.consumer.commitOffsets(offsets);
    } catch (e) {
      const type = (e as { type?: string }).type;
      if (type && REBALANCED.has(type)) {
        this.log.warn(
          { err: (e as Error).message, partitions: offsets.length },
          'offsets not committed: the group rebalanced; the next owner reads from the last commit',
        );
        return;
      }
      // kept for the next round, unless a later message of the partition was handled meanwhile
      for (const o of offsets) if (!this.pending.has(keyOf(o))) this.pending.set(keyOf(o), o);
      this.log.warn({ err: (e as Error).message, partitions: offsets.length }, 'offsets not committed; trying again next round');
    }
  }
}
