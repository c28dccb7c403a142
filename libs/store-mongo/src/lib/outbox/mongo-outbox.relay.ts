import { Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { Collection, Filter, ObjectId } from 'mongodb';
import { randomUUID } from 'node:crypto';
import { EventProducer, OUTBOX_BATCH_SIZE, OutboxMetrics, RelayLoop, TopicsReady, type OutboxBacklog } from '@ecom/kafka';
import { Metrics } from '@ecom/observability';
import type { OutboxFields } from './outbox-fields';

type Id = string | ObjectId;
interface OutboxedDoc extends Omit<OutboxFields, 'outboxLeaseUntil'> {
  _id: Id;
  // a lease set to null counts as none, as an unset one does
  outboxLeaseUntil?: Date | null;
}
// the relay reads and writes only the outbox fields
type Outboxed = Collection<OutboxedDoc>;
type OutboxDoc = Pick<OutboxedDoc, '_id' | 'outbox'>;
// long enough for one batch to reach kafka; a relay that dies holding a lease delays its events this long
const LEASE_MS = 30_000;
// how often the relay looks through whole collections for pending events nobody told it about:
// written by a replica that died before relaying them, or whose lease ran out
const SCAN_EVERY_MS = 2_000;
// the share of the time such scans may take. MongoDB, and the local MongoDB-wire server since it keeps
// its non-unique indexes (adr 6), find the pending documents through the outboxPending index in a few
// ms, every SCAN_EVERY_MS. a server that read every document instead (the local one did: 2.5 s for
// 59,000 stock reservations, which a scan every 2 s kept it busy with) has a collection grown large
// scanned less often, not for longer
const SCAN_SHARE = 0.02;

/** the time from one orphan scan to the next, after one that took `costMs` */
export function scanInterval(costMs: number): number {
  return Math.max(SCAN_EVERY_MS, costMs / SCAN_SHARE);
}
interface BacklogRead {
  readonly at: number;
  readonly value: Promise<{ events: number; oldest: number }>;
  costMs?: number;
}

// announced documents remembered per collection while kafka is away; beyond that the scan finds them
const MAX_ANNOUNCED = 10_000;

/**
 * sends pending events of the watched collections, then removes exactly the sent entries ($pull by
 * id), so events staged meanwhile are kept for the next round. with several
 * replicas, a relay first leases the documents it will send, so two relays do not send the same
 * events (a lease that expires, after a crash, lets another relay send them: at least once).
 *
 * a repository tells the relay which document it wrote events into (written()), and those are
 * relayed by _id, without a query on the pending flag: on the local MongoDB-wire server that flag's
 * index is not built, so the query reads the whole collection. such a scan still runs every
 * SCAN_EVERY_MS, for what no one announced, or less often where it takes long (scanInterval).
 */
@Injectable()
export class MongoOutboxRelay extends RelayLoop implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly collections: Outboxed[] = [];
  private readonly id = randomUUID();
  // per collection, the _ids written with events since the last round
  private readonly announced = new Map<Outboxed, Set<Id>>();
  private lastScan = 0;
  // how long the last scan's reads took, all collections together
  private scanCostMs = 0;
  // the metrics' last read of the backlog; costMs is set once it succeeded
  private backlogRead?: BacklogRead;
  private readonly metrics: OutboxMetrics;

  constructor(
    private readonly producer: EventProducer,
    private readonly topics: TopicsReady,
    metrics: Metrics,
  ) {
    super();
    this.metrics = new OutboxMetrics(metrics, 'mongodb', () => this.backlog());
  }

  /** registers a collection whose documents carry OutboxFields (with outboxIndex among its indexes) */
  watch<T extends OutboxFields & { _id: Id }>(collection: Collection<T>): void {
    this.collections.push(collection as unknown as Outboxed);
  }

  /** a document of a watched collection was written with events; call flush() on MongoOutbox after the write */
  written<T extends OutboxFields & { _id: Id }>(collection: Collection<T>, id: T['_id']): void {
    const c = collection as unknown as Outboxed;
    const ids = this.announced.get(c) ?? new Set();
    if (ids.size < MAX_ANNOUNCED) ids.add(id);
    this.announced.set(c, ids);
  }

  onApplicationBootstrap(): void {
    if (this.collections.length > 0) this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  protected async relayOnce(): Promise<number> {
    await this.topics.ready();
    const scan = Date.now() - this.lastScan >= scanInterval(this.scanCostMs);
    if (scan) {
      this.lastScan = Date.now();
      this.scanCostMs = 0;
    }
    let sent = 0;
    let more = false;
    for (const collection of this.collections) {
      const announced = [...(this.announced.get(collection) ?? [])].slice(0, OUTBOX_BATCH_SIZE);
      const left = this.announced.get(collection);
      for (const id of announced) left?.delete(id);
      if (left?.size) more = true;
      const docs = await this.lease(collection, announced, scan);
      const entries = docs.flatMap((d) => d.outbox);
      if (entries.length === 0) continue;
      await this.producer.sendBatch(entries);
      this.metrics.relayed.inc(entries.length);
      await this.clearSent(collection, docs);
      sent += entries.length;
    }
    // announced documents beyond one batch: go round again at once
    return more ? Math.max(sent, OUTBOX_BATCH_SIZE) : sent;
  }

  // the pending events of every watched collection, for the metrics: a scan like the relay's own, so
  // as rationed as that one (scanInterval). a read in flight is shared, one that succeeded is reused
  // until its interval is up (the age is still counted to now), and one that failed is not kept, so
  // the next scrape reads again once the store is back
  private backlog(): Promise<OutboxBacklog> {
    let read = this.backlogRead;
    if (!read || (read.costMs !== undefined && Date.now() - read.at >= scanInterval(read.costMs))) {
      const started = performance.now();
      const fresh: BacklogRead = { at: Date.now(), value: this.readBacklog() };
      fresh.value.then(
        () => {
          fresh.costMs = performance.now() - started;
        },
        () => {
          if (this.backlogRead === fresh) this.backlogRead = undefined;
        },
      );
      this.backlogRead = read = fresh;
    }
    return read.value.then(({ events, oldest }) => ({
      events,
      oldestAgeSeconds: events === 0 ? 0 : Math.max(0, (Date.now() - oldest) / 1000),
    }));
  }

  private async readBacklog(): Promise<{ events: number; oldest: number }> {
    let events = 0;
    let oldest = Infinity;
    for (const collection of this.collections) {
      const pending = collection.find({ outboxPending: true }, { projection: { 'outbox.envelope.occurredAt': 1 } });
      const docs = (await pending.toArray()) as Pick<OutboxFields, 'outbox'>[];
      for (const d of docs) {
        events += d.outbox.length;
        for (const e of d.outbox) oldest = Math.min(oldest, Date.parse(e.envelope.occurredAt));
      }
    }
    return { events, oldest };
  }

  // claims free pending documents under this relay's id (the announced ones, and on a scan round any
  // others), then reads what was claimed; one document is claimed and read in one command. all by _id,
  // which every MongoDB-wire server indexes
  private async lease(collection: Outboxed, announced: Id[], scan: boolean): Promise<OutboxDoc[]> {
    const now = new Date();
    const free: Filter<OutboxedDoc> = {
      outboxPending: true,
      $or: [{ outboxLeaseUntil: { $exists: false } }, { outboxLeaseUntil: null }, { outboxLeaseUntil: { $lt: now } }],
    };
    const ids = new Set(announced);
    if (scan && ids.size < OUTBOX_BATCH_SIZE) {
      const started = performance.now();
      const found = await collection
        .find(free, { projection: { _id: 1 } })
        .limit(OUTBOX_BATCH_SIZE - ids.size)
        .toArray();
      this.scanCostMs += performance.now() - started;
      for (const d of found) ids.add(d._id);
    }
    if (ids.size === 0) return [];
    const until = new Date(now.getTime() + LEASE_MS);
    const lease = { $set: { outboxLeaseUntil: until, outboxLeaseBy: this.id } };
    if (ids.size === 1) {
      // the usual round under a steady load: claim and read in one round trip
      const [_id] = ids;
      const doc = await collection.findOneAndUpdate({ _id, ...free } as Filter<OutboxedDoc>, lease, {
        projection: { outbox: 1 },
        returnDocument: 'after',
      });
      return doc ? [doc as OutboxDoc] : [];
    }
    const candidates = { _id: { $in: [...ids] } } as Filter<OutboxedDoc>;
    await collection.updateMany({ ...candidates, ...free }, lease);
    const leased = collection.find({ ...candidates, outboxLeaseBy: this.id, outboxLeaseUntil: until }, { projection: { outbox: 1 } });
    return (await leased.toArray()) as OutboxDoc[];
  }

  // usually one write for all the documents: each whose outbox still holds exactly the sent entries
  // (as many, all of them) had nothing staged since the read, and is emptied with its flag lowered.
  // if any had (the write changed fewer than all), two more writes, neither of which can lose an
  // event staged meanwhile: pull exactly the sent entries where they still are (a concurrent push is
  // untouched), then lower the flag where the outbox is empty by then. a write guarded by rev instead
  // lost to every concurrent write of a busy document (a hot product takes one per order), gave up,
  // and left its events to be sent again and again
  private async clearSent(collection: Outboxed, docs: readonly OutboxDoc[]): Promise<void> {
    const sent = docs.map((doc) => ({ _id: doc._id, ids: doc.outbox.map((e) => e.id) }));
    const unlease = { outboxLeaseUntil: 1 as const, outboxLeaseBy: 1 as const };
    const emptied = await collection.bulkWrite(
      sent.map(({ _id, ids }) => ({
        updateOne: {
          filter: { _id, outbox: { $size: ids.length }, 'outbox.id': { $all: ids } },
          update: { $set: { outbox: [], outboxPending: false }, $unset: unlease, $inc: { rev: 1 } },
        },
      })),
      { ordered: false },
    );
    if (emptied.modifiedCount === docs.length) return;
    await collection.bulkWrite(
      sent.map(({ _id, ids }) => ({
        updateOne: {
          filter: { _id, 'outbox.id': { $in: ids } },
          update: { $pull: { outbox: { id: { $in: ids } } }, $unset: unlease, $inc: { rev: 1 } },
        },
      })),
      { ordered: false },
    );
    await collection.updateMany(
      { _id: { $in: sent.map((d) => d._id) }, outboxPending: true, outbox: { $size: 0 } },
      { $set: { outboxPending: false } },
    );
  }
}
