import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { MongoOutboxRelay, newDocumentOutbox, withEvents, type OutboxEntry } from '@ecom/store-mongo';
import { RESERVATION_MODEL, type ReservationDocument, type ReservationLine, type ReservationState } from './reservation.schema';

/** the only place that touches stock reservations; each state change carries its event */
@Injectable()
export class ReservationsRepository implements OnModuleInit {
  constructor(
    @InjectModel(RESERVATION_MODEL) private readonly reservations: Model<ReservationDocument>,
    private readonly relay: MongoOutboxRelay,
  ) {}

  onModuleInit(): void {
    this.relay.watch(this.reservations as never);
  }

  find(orderId: string): Promise<ReservationDocument | null> {
    return this.reservations.findById(orderId, { outbox: 0 }).lean<ReservationDocument>().exec();
  }

  /** starts the order's reservation, or returns the one that exists (the event came again, or a cancel came first) */
  async open(
    orderId: string,
    userId: string,
    state: ReservationState,
    lines: ReservationLine[],
    events: OutboxEntry[] = [],
  ): Promise<ReservationDocument> {
    const doc = { _id: orderId, userId, state, lines, createdAt: new Date(), updatedAt: new Date() };
    try {
      await this.reservations.create({ ...doc, ...newDocumentOutbox(events) });
      if (events.length) this.relay.written(this.reservations as never, orderId);
      return doc as ReservationDocument;
    } catch (e) {
      if ((e as { code?: number }).code !== 11000) throw e;
      const existing = await this.find(orderId);
      if (!existing) throw new Error(`reservation ${orderId} exists but cannot be read`, { cause: e });
      return existing;
    }
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
      withEvents({ $set: { state: to, ...changes, updatedAt } }, events),
    );
    if (res.modifiedCount !== 1) return null;
    if (events.length) this.relay.written(this.reservations as never, r._id);
    return { ...r, ...changes, state: to, updatedAt };
  }
}
