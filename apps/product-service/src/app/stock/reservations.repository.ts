import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Collection, WriteError } from 'mongodb';
import { InjectCollection, MongoOutboxRelay, newDocumentOutbox, withEvents, type OutboxEntry } from '@ecom/store-mongo';
import { RESERVATIONS, type ReservationDocument, type ReservationLine, type ReservationState } from './reservation.schema';

/** the only place that touches stock reservations; each state change carries its event */
@Injectable()
export class ReservationsRepository implements OnModuleInit {
  constructor(
    @InjectCollection(RESERVATIONS.name) private readonly reservations: Collection<ReservationDocument>,
    private readonly relay: MongoOutboxRelay,
  ) {}

  onModuleInit(): void {
    this.relay.watch(this.reservations);
  }

  find(orderId: string): Promise<ReservationDocument | null> {
    return this.reservations.findOne({ _id: orderId }, { projection: { outbox: 0 } });
  }

  /** starts the order's reservation, or returns the one that exists (the event came again, or a cancel came first) */
  async open(
    orderId: string,
    userId: string,
    state: ReservationState,
    lines: ReservationLine[],
    events: OutboxEntry[] = [],
  ): Promise<ReservationDocument> {
    const now = new Date();
    const doc: ReservationDocument = { _id: orderId, userId, state, lines, createdAt: now, updatedAt: now, ...newDocumentOutbox(events) };
    try {
      await this.reservations.insertOne(doc);
      if (events.length) this.relay.written(this.reservations, orderId);
      return doc;
    } catch (e) {
      if ((e as { code?: number }).code !== 11000) throw e;
      const existing = await this.find(orderId);
      if (!existing) throw new Error(`reservation ${orderId} exists but cannot be read`, { cause: e });
      return existing;
    }
  }

  /**
   * starts the orders' reservations, 'reserving', in one write; for an order whose reservation
   * exists already (the event came again, or its cancel came first) returns that one instead.
   * in the orders' order; each order once
   */
  async openAll(orders: readonly { orderId: string; userId: string; lines: ReservationLine[] }[]): Promise<ReservationDocument[]> {
    const now = new Date();
    const docs: ReservationDocument[] = orders.map((o) => ({
      _id: o.orderId,
      userId: o.userId,
      state: 'reserving',
      lines: o.lines,
      createdAt: now,
      updatedAt: now,
      ...newDocumentOutbox([]),
    }));
    let existing = new Set<string>();
    try {
      await this.reservations.insertMany(docs, { ordered: false });
    } catch (e) {
      // every other document went in; the ones that did not exist already, or it is another failure
      const errors = [(e as { writeErrors?: WriteError | WriteError[] }).writeErrors ?? []].flat();
      if (errors.length === 0 || errors.some((w) => w.code !== 11000)) throw e;
      existing = new Set(errors.map((w) => docs[w.index]._id));
    }
    if (existing.size === 0) return docs;
    const found = await this.reservations.find({ _id: { $in: [...existing] } }, { projection: { outbox: 0 } }).toArray();
    const byId = new Map(found.map((r) => [r._id, r]));
    return docs.map((d) => {
      if (!existing.has(d._id)) return d;
      const r = byId.get(d._id);
      if (!r) throw new Error(`reservation ${d._id} exists but cannot be read`);
      return r;
    });
  }

  /**
   * moves each reservation from the state it was read in to `to`, with its changes and events, in
   * one write; false when any of them was no longer in that state (the caller re-reads and decides again)
   */
  async transitionAll(
    to: ReservationState,
    moves: readonly { r: ReservationDocument; changes: { lines?: ReservationLine[] }; events: OutboxEntry[] }[],
  ): Promise<boolean> {
    if (moves.length === 0) return true;
    const updatedAt = new Date();
    const res = await this.reservations.bulkWrite(
      moves.map(({ r, changes, events }) => ({
        updateOne: {
          filter: { _id: r._id, state: r.state },
          update: withEvents<ReservationDocument>({ $set: { state: to, ...changes, updatedAt } }, events),
        },
      })),
      { ordered: false },
    );
    for (const { r, events } of moves) if (events.length) this.relay.written(this.reservations, r._id);
    return res.modifiedCount === moves.length;
  }

  /** moves the reservation from `from` to `to`; null when it was no longer in `from` (re-read and decide again) */
  async transition(
    r: ReservationDocument,
    to: ReservationState,
    changes: { lines?: ReservationLine[]; reason?: string },
    events: OutboxEntry[] = [],
  ): Promise<ReservationDocument | null> {
    const updatedAt = new Date();
    const res = await this.reservations.updateOne(
      { _id: r._id, state: r.state },
      withEvents<ReservationDocument>({ $set: { state: to, ...changes, updatedAt } }, events),
    );
    if (res.modifiedCount !== 1) return null;
    if (events.length) this.relay.written(this.reservations, r._id);
    return { ...r, ...changes, state: to, updatedAt };
  }
}
