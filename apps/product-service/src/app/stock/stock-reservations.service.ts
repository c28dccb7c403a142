import { Injectable, Logger } from '@nestjs/common';
import { Topics, type EventEnvelope, type OrderCancelled, type OrderPlaced } from '@ecom/events';
import type { WithinEvent } from '@ecom/kafka';
import { MongoOutbox } from '@ecom/store-mongo';
import { ProductCache } from '../catalog/product-cache';
import type { ProductDocument } from '../catalog/product.schema';
import { upsertedPayload } from '../catalog/product.view';
import { ProductsRepository, takenMarker } from '../catalog/products.repository';
import { goneReason, mergeLines, planTakes, rejectionReason, shortReason, totalOf } from './reservation-plan';
import type { ReservationDocument, ReservationLine } from './reservation.schema';
import { ReservationsRepository } from './reservations.repository';
import { searchSeesMove } from './search-visible-stock';

/** thrown while another delivery is still moving this order's stock; the consumer retries it */
export class ReservationBusyError extends Error {}

// a reservation only changes state a handful of times; more rounds mean something is wrong
const MAX_ROUNDS = 10;

const alone: WithinEvent = (_event, work) => work();

// an order's line as reserved: at the catalog's price and name when its stock was taken
const pricedLine = (p: ProductDocument, quantity: number): Required<ReservationLine> => ({
  productId: p._id,
  quantity,
  sku: p.sku,
  name: p.name,
  unitPrice: { amount: p.price.amount, currency: p.price.currency },
});

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

  /**
   * the orders placed that queued up on a partition, as if they came one by one, in fewer writes:
   * their reservations open in one write, each product's stock moves once for all the orders that
   * take from it, and the orders so held are reserved in one write. an order that does not fit (an
   * item short or gone), meets a concurrent write, or was seen before goes the one-order way
   * afterwards (reserve), which resumes from where its reservation stands. `within` runs one order's
   * part (its events, what it logs) in its event's trace and correlation id
   */
  async reserveAll(events: readonly EventEnvelope<OrderPlaced>[], within: WithinEvent = alone): Promise<void> {
    const byOrder = new Map<string, EventEnvelope<OrderPlaced>>();
    for (const e of events) if (!byOrder.has(e.payload.orderId)) byOrder.set(e.payload.orderId, e);
    const opened = await this.reservations.openAll(
      [...byOrder.values()].map(({ payload }) => ({ orderId: payload.orderId, userId: payload.userId, lines: mergeLines(payload.lines) })),
    );
    const held = await this.takeForAll(
      opened.filter((r) => r.state === 'reserving'),
      byOrder,
      within,
    );
    for (const [orderId, event] of byOrder) if (!held.has(orderId)) await within(event, () => this.reserve(event.payload));
  }

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
      const result = await this.products.takeStock(line.productId, r._id, line.quantity, (p) =>
        this.stockMoved(p, p.stock + line.quantity),
      );
      if ('gone' in result) return this.reservations.transition(r, 'rejecting', { reason: goneReason(line.productId) });
      if ('short' in result) {
        const { sku, stock } = result.short;
        return this.reservations.transition(r, 'rejecting', { reason: shortReason(sku, line.quantity, stock) });
      }
      await this.cache.put(result.taken);
      priced.push(pricedLine(result.taken, line.quantity));
    }
    const done = await this.reservations.transition(r, 'reserved', { lines: priced }, [this.reserved(r._id, priced)]);
    this.outbox.flush();
    return done;
  }

  // takes stock for the reservations, one write per product, and reserves the orders it could serve
  // in full; the orders it reserved
  private async takeForAll(
    reserving: readonly ReservationDocument[],
    byOrder: ReadonlyMap<string, EventEnvelope<OrderPlaced>>,
    within: WithinEvent,
  ): Promise<Set<string>> {
    if (reserving.length === 0) return new Set();
    const eventOf = (orderId: string) => byOrder.get(orderId) as EventEnvelope<OrderPlaced>;
    const ids = [...new Set(reserving.flatMap((r) => r.lines.map((l) => l.productId)))];
    const products = new Map((await this.products.findLive(ids)).map((p) => [p._id, p]));
    const plan = planTakes(
      reserving.map((r) => ({ orderId: r._id, lines: r.lines })),
      products,
      (productId, orderId) => products.get(productId)?.stockOps.includes(takenMarker(orderId)) ?? false,
    );
    // each product's stock moves once; one that changed since it was read leaves its orders to reserve()
    const after = new Map(products);
    const lost = new Set<string>();
    await Promise.all(
      [...plan.moves].map(async ([productId, move]) => {
        const current = products.get(productId) as ProductDocument;
        const next = await this.products.takeForOrders(current, move.quantity, move.orders, (p) =>
          within(eventOf(move.orders[0]), () => this.stockMoved(p, current.stock)),
        );
        if (next) {
          after.set(productId, next);
          await this.cache.put(next);
        } else lost.add(productId);
      }),
    );
    const byId = new Map(reserving.map((r) => [r._id, r]));
    const served = plan.fits.map((id) => byId.get(id) as ReservationDocument).filter((r) => r.lines.every((l) => !lost.has(l.productId)));
    const moves = served.map((r) => {
      const priced = r.lines.map((l) => pricedLine(after.get(l.productId) as ProductDocument, l.quantity));
      return { r, changes: { lines: priced }, events: [within(eventOf(r._id), () => this.reserved(r._id, priced))] };
    });
    const allMoved = await this.reservations.transitionAll('reserved', moves);
    this.outbox.flush();
    // one of them was moved meanwhile (another delivery): each finds where it stands in reserve()
    if (!allMoved) return new Set();
    for (const { r, changes } of moves) within(eventOf(r._id), () => this.settled({ ...r, ...changes, state: 'reserved' }));
    return new Set(served.map((r) => r._id));
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

  private reserved(orderId: string, lines: Required<ReservationLine>[]) {
    return this.outbox.event(Topics.StockReserved, { orderId, lines, total: totalOf(lines) }, { key: orderId });
  }

  private released(orderId: string) {
    return this.outbox.event(Topics.StockReleased, { orderId }, { key: orderId });
  }
}
