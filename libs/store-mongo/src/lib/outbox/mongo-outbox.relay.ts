import { Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { Model } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { EventProducer, OUTBOX_BATCH_SIZE, RelayLoop, TopicsReady } from '@ecom/kafka';
import type { OutboxEntry, OutboxFields } from './outbox-fields';

type OutboxDoc = Pick<OutboxFields, 'outbox' | 'rev'> & { _id: unknown };
const MAX_CLEAR_ATTEMPTS = 5;
// long enough for one batch to reach kafka; a relay that dies holding a lease delays its events this long
const LEASE_MS = 30_000;

/**
 * sends pending events of the registered models, then removes exactly the sent entries. the
 * removal is guarded by rev, so events staged meanwhile are kept for the next round. with several
 * replicas, a relay first leases the documents it will send, so two relays do not send the same
 * events (a lease that expires, after a crash, lets another relay send them: at least once).
 */
@Injectable()
export class MongoOutboxRelay extends RelayLoop implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly models: Model<OutboxFields>[] = [];
  private readonly id = randomUUID();

  constructor(
    private readonly producer: EventProducer,
    private readonly topics: TopicsReady,
  ) {
    super();
  }

  /** registers a collection whose documents carry outboxSchemaFields */
  watch(model: Model<never>): void {
    this.models.push(model as unknown as Model<OutboxFields>);
  }

  onApplicationBootstrap(): void {
    if (this.models.length > 0) this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  protected async relayOnce(): Promise<number> {
    await this.topics.ready();
    let sent = 0;
    for (const model of this.models) {
      const docs = await this.lease(model);
      const entries = docs.flatMap((d) => d.outbox);
      if (entries.length === 0) continue;
      await this.producer.sendBatch(entries);
      for (const doc of docs) await this.clearSent(model, doc, new Set(doc.outbox.map((e) => e.id)));
      sent += entries.length;
    }
    return sent;
  }

  // two round trips: claim a batch of free pending documents under this relay's id, then read what was claimed
  private async lease(model: Model<OutboxFields>): Promise<OutboxDoc[]> {
    const now = new Date();
    const free = {
      outboxPending: true,
      $or: [{ outboxLeaseUntil: { $exists: false } }, { outboxLeaseUntil: null }, { outboxLeaseUntil: { $lt: now } }],
    };
    const candidates = await model.find(free, { _id: 1 }).limit(OUTBOX_BATCH_SIZE).lean<{ _id: unknown }[]>();
    if (candidates.length === 0) return [];
    const until = new Date(now.getTime() + LEASE_MS);
    await model.updateMany(
      { _id: { $in: candidates.map((c) => c._id) }, ...free },
      { $set: { outboxLeaseUntil: until, outboxLeaseBy: this.id } },
    );
    return model.find({ outboxLeaseBy: this.id, outboxLeaseUntil: until }, { outbox: 1, rev: 1 }).lean<OutboxDoc[]>();
  }

  private async clearSent(model: Model<OutboxFields>, doc: OutboxDoc, sent: Set<string>): Promise<void> {
    let current: OutboxDoc | null = doc;
    for (let i = 0; current && i < MAX_CLEAR_ATTEMPTS; i++) {
      const left: OutboxEntry[] = current.outbox.filter((e) => !sent.has(e.id));
      const res = await model.updateOne(
        { _id: current._id, rev: current.rev },
        { $set: { outbox: left, outboxPending: left.length > 0 }, $unset: { outboxLeaseUntil: 1, outboxLeaseBy: 1 }, $inc: { rev: 1 } },
      );
      if (res.matchedCount === 1) return;
      current = await model.findById(current._id, { outbox: 1, rev: 1 }).lean<OutboxDoc>();
    }
    // sent entries that could not be cleared are sent again later; consumers drop duplicates
    if (current) this.log.warn({ id: String(current._id) }, 'could not clear sent outbox entries, they will be re-sent');
  }
}
