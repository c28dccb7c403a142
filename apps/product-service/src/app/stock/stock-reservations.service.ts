import { Injectable, Logger } from '@nestjs/common';
import { Topics, type OrderCancelled, type OrderPlaced } from '@ecom/events';
import { MongoOutbox } from '@ecom/store-mongo';
import { ProductCache } from '../catalog/product-cache';
import type { ProductDocument } from '../catalog/product.schema';
import { upsertedPayload } from '../catalog/product.view';
import { ProductsRepository, takenMarker } from '../catalog/products.repository';
import { goneReason, mergeLines, rejectionReason, shortReason, totalOf } from './reservation-plan';
import type { ReservationDocument, ReservationLine } from './reservation.schema';
import { ReservationsRepository } from './reservations.repository';
import { searchSeesMove } from './search-visible-stock';

/** thrown while another delivery is still moving this order's stock; the consumer retries it */
export class ReservationBusyError extends Error {}

// a reservation only changes state a handful of times; more rounds mean something is wrong
const MAX_ROUNDS = 10;

/**
 * the product side of the order saga. without multi-document transactions every step is an
 * idempotent single-document write, and the reservation's state says where to resume: a
 * redelivered or retried event carries on from there and never moves stock twice.
 */
@Injectable()
export class StockReservationsService {
  private readonly log = new Logger(StockReservationsService.name);

  constructor(
    private readonly products: ProductsRepository,
    private readonly reservations: ReservationsRepository,
    private readonly outbox: MongoOutbox,
    private readonly cache: ProductCache,
  ) {}

  /** order placed: take every item at the catalog's price, or none of them */
  async reserve(order: OrderPlaced): Promise<void> {
    let r: ReservationDocument | null = await this.reservations.open(order.orderId, order.userId, 'reserving', mergeLines(order.lines));
    for (let round = 0; round < MAX_ROUNDS; round++) {
      r ??= await this.mustFind(order.orderId);
      switch (r.state) {
        case 'reserving':
          r = await this.takeAll(r);
          break;
        case 'rejecting':
          r = await this.giveBack(r, true);
          break;
        case 'releasing':
          r = await this.giveBack(r, false);
          break;
        default:
          return this.settled(r);
      }
    }
    throw new Error(`reservation ${order.orderId} did not settle`);
  }

  /** order cancelled: put back what the order holds, once; a cancel that comes first leaves a tombstone */
  async release(order: OrderCancelled): Promise<void> {
    let r: ReservationDocument | null =
      (await this.reservations.find(order.orderId)) ??
      (await this.reservations.open(order.orderId, order.userId, 'released', [], [this.released(order.orderId)]));
    for (let round = 0; round < MAX_ROUNDS; round++) {
      r ??= await this.mustFind(order.orderId);
      switch (r.state) {
        case 'reserving':
        case 'rejecting':
          throw new ReservationBusyError(`the reservation of order ${order.orderId} is still in progress`);
        case 'reserved':
          r = await this.reservations.transition(r, 'releasing', {});
          break;
        case 'releasing':
          r = await this.giveBack(r, false);
          break;
        default:
          return this.settled(r);
      }
    }
    throw new Error(`release of ${order.orderId} did not settle`);
  }

  private async takeAll(r: ReservationDocument): Promise<ReservationDocument | null> {
    // one line needs no precheck: taking it reads the product and rejects for the same reasons
    const reason = r.lines.length > 1 ? await this.precheck(r) : null;
    if (reason) return this.reservations.transition(r, 'rejecting', { reason });
    const priced: Required<ReservationLine>[] = [];
    for (const line of r.lines) {
      const result = await this.products.takeStock(line.productId, r._id, line.quantity, (p) => this.stockMoved(p, p.stock + line.quantity));
      if ('gone' in result) return this.reservations.transition(r, 'rejecting', { reason: goneReason(line.productId) });
      if ('short' in result) {
        const { sku, stock } = result.short;
        return this.reservations.transition(r, 'rejecting', { reason: shortReason(sku, line.quantity, stock) });
      }
      await this.cache.put(result.taken);
      const p = result.taken;
      priced.push({
        productId: p._id,
        quantity: line.quantity,
        sku: p.sku,
        name: p.name,
        unitPrice: { amount: p.price.amount, currency: p.price.currency },
      });
    }
    const event = this.outbox.event(Topics.StockReserved, { orderId: r._id, lines: priced, total: totalOf(priced) }, { key: r._id });
    const done = await this.reservations.transition(r, 'reserved', { lines: priced }, [event]);
    this.outbox.flush();
    return done;
  }

  // rejects before taking anything when the catalog already cannot serve the order
  private async precheck(r: ReservationDocument): Promise<string | null> {
    const found = await this.products.findLive(r.lines.map((l) => l.productId));
    // stock this order already took (an earlier delivery) counts as available to it
    const products = new Map(
      found.map((p) => {
        const mine = p.stockOps.includes(takenMarker(r._id)) ? (r.lines.find((l) => l.productId === p._id)?.quantity ?? 0) : 0;
        return [p._id, { ...p, stock: p.stock + mine }];
      }),
    );
    return rejectionReason(r.lines, products);
  }

  // rejecting: return only what was taken, then reject; releasing: return everything, then released
  private async giveBack(r: ReservationDocument, onlyIfTaken: boolean): Promise<ReservationDocument | null> {
    for (const line of r.lines) {
      const p = await this.products.returnStock(line.productId, r._id, line.quantity, onlyIfTaken, (next) =>
        this.stockMoved(next, next.stock - line.quantity),
      );
      if (p) await this.cache.put(p);
    }
    const done = onlyIfTaken
      ? await this.reservations.transition(r, 'rejected', {}, [
          this.outbox.event(
            Topics.StockRejected,
            { orderId: r._id, reason: r.reason ?? 'the items could not be reserved' },
            { key: r._id },
          ),
        ])
      : await this.reservations.transition(r, 'released', {}, [this.released(r._id)]);
    this.outbox.flush();
    return done;
  }

  private settled(r: ReservationDocument): void {
    this.products.forgetStockOps(
      r.lines.map((l) => l.productId),
      r._id,
      r.state !== 'reserved',
    );
    this.log.debug({ orderId: r._id, state: r.state }, 'reservation settled');
  }

  private async mustFind(orderId: string): Promise<ReservationDocument> {
    const r = await this.reservations.find(orderId);
    if (!r) throw new Error(`reservation ${orderId} disappeared`);
    return r;
  }

  // the product's new snapshot, when search would show the move (search-visible-stock.ts)
  private stockMoved(p: ProductDocument, before: number) {
    return searchSeesMove(before, p.stock) ? [this.outbox.event(Topics.ProductUpserted, upsertedPayload(p), { key: p._id })] : [];
  }

  private released(orderId: string) {
    return this.outbox.event(Topics.StockReleased, { orderId }, { key: orderId });
  }
}
