import { Injectable, Logger, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Collection, Filter } from 'mongodb';
import type { PageQuery } from '@ecom/http';
import { InjectCollection, MongoOutboxRelay, newDocumentOutbox, withEvents, type OutboxEntry } from '@ecom/store-mongo';
import { PRODUCTS, type ProductDocument } from './product.schema';

export type NewProduct = Pick<ProductDocument, '_id' | 'sku' | 'name' | 'description' | 'price' | 'stock' | 'category' | 'tags'>;
export type ProductChanges = Partial<Omit<NewProduct, '_id' | 'sku'>>;

export class DuplicateSkuError extends Error {}

/** the outcome of taking stock for an order: the product as it is afterwards, or why not */
export type TakeResult = { taken: ProductDocument } | { short: ProductDocument } | { gone: true };

const MAX_ATTEMPTS = 20;
// settled orders' markers are dropped together, at most this long after the first of them settled
const FORGET_AFTER_MS = 50;
// markers of stock operations, so a redelivered order event never moves stock twice
export const takenMarker = (orderId: string) => `take:${orderId}`;
export const returnedMarker = (orderId: string) => `return:${orderId}`;

// products that are not deleted
// products that are not deleted: deletedAt is a date or absent, and an equality to null (which matches an absent
// field) is what an index on it answers as a range, on mongod and on the local server alike
const LIVE: Filter<ProductDocument> = { deletedAt: null };

/** the only place that touches the products collection; events go in the same write */
@Injectable()
export class ProductsRepository implements OnModuleInit, BeforeApplicationShutdown {
  private readonly log = new Logger(ProductsRepository.name);
  // product id → markers of settled orders, not yet dropped
  private forgotten = new Map<string, Set<string>>();
  private forgetting?: NodeJS.Timeout;

  constructor(
    @InjectCollection(PRODUCTS.name) private readonly products: Collection<ProductDocument>,
    private readonly relay: MongoOutboxRelay,
  ) {}

  onModuleInit(): void {
    this.relay.watch(this.products);
  }

  async create(product: NewProduct, events: (p: ProductDocument) => OutboxEntry[]): Promise<ProductDocument> {
    const now = new Date();
    const doc = { ...product, version: 1, stockOps: [], createdAt: now, updatedAt: now, ...newDocumentOutbox([]) };
    try {
      const created = { ...doc, ...newDocumentOutbox(events(doc)) };
      await this.products.insertOne(created);
      this.relay.written(this.products, created._id);
      return created;
    } catch (e) {
      if ((e as { code?: number }).code === 11000) throw new DuplicateSkuError(product.sku);
      throw e;
    }
  }

  findById(id: string): Promise<ProductDocument | null> {
    return this.products.findOne({ _id: id, ...LIVE }, { projection: { outbox: 0 } });
  }

  findLive(ids: readonly string[]): Promise<ProductDocument[]> {
    return this.products.find({ _id: { $in: [...ids] }, ...LIVE }, { projection: { outbox: 0 } }).toArray();
  }

  /**
   * takes `quantity` for the order at most once: the product's version guards the stock check,
   * and the marker makes a second attempt for the same order a no-op that reports it as taken
   */
  async takeStock(
    productId: string,
    orderId: string,
    quantity: number,
    events: (p: ProductDocument) => OutboxEntry[],
  ): Promise<TakeResult> {
    const marker = takenMarker(orderId);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.findById(productId);
      if (!current) return { gone: true };
      if (current.stockOps.includes(marker)) return { taken: current };
      if (current.stock < quantity) return { short: current };
      const next = await this.moveStock(current, -quantity, [marker], events);
      if (next) return { taken: next };
    }
    throw new Error(`could not take stock of ${productId} for ${orderId}: too many concurrent writes`);
  }

  /**
   * takes `quantity` in one write for several orders, each of which gets its marker, as takeStock
   * does for one: from `current` as read, or not at all (null) when the product changed since
   */
  takeForOrders(
    current: ProductDocument,
    quantity: number,
    orderIds: readonly string[],
    events: (p: ProductDocument) => OutboxEntry[],
  ): Promise<ProductDocument | null> {
    return this.moveStock(current, -quantity, orderIds.map(takenMarker), events);
  }

  /**
   * puts `quantity` back for the order at most once. with `onlyIfTaken`, a product this order
   * never took from is left alone (a reservation that failed half way). deleted products get it back too.
   */
  async returnStock(
    productId: string,
    orderId: string,
    quantity: number,
    onlyIfTaken: boolean,
    events: (p: ProductDocument) => OutboxEntry[],
  ): Promise<ProductDocument | null> {
    const marker = returnedMarker(orderId);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.products.findOne({ _id: productId }, { projection: { outbox: 0 } });
      if (!current || current.stockOps.includes(marker)) return null;
      if (onlyIfTaken && !current.stockOps.includes(takenMarker(orderId))) return null;
      const next = await this.moveStock(current, quantity, [marker], events);
      if (next) return next;
    }
    throw new Error(`could not return stock of ${productId} for ${orderId}: too many concurrent writes`);
  }

  /**
   * drops the order's markers once its reservation is settled and no event can move stock again.
   * the markers of every order settled within FORGET_AFTER_MS go in one write, not one write each:
   * on a hot product that was a write per order. a marker left behind (the write failed, or the
   * process died first) is harmless: it only stops that settled order from moving stock again.
   * `returned`: the order's stock went back too (released or rejected); a reserved order's return
   * marker is left alone, since a cancel may be putting its stock back while this write waits
   */
  forgetStockOps(productIds: readonly string[], orderId: string, returned: boolean): void {
    for (const id of productIds) {
      const markers = this.forgotten.get(id) ?? new Set<string>();
      markers.add(takenMarker(orderId));
      if (returned) markers.add(returnedMarker(orderId));
      this.forgotten.set(id, markers);
    }
    if (this.forgotten.size > 0) this.forgetting ??= setTimeout(() => void this.forgetNow(), FORGET_AFTER_MS);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.forgetNow();
  }

  /** drops the markers queued so far, in one write */
  async forgetNow(): Promise<void> {
    clearTimeout(this.forgetting);
    this.forgetting = undefined;
    const batch = this.forgotten;
    this.forgotten = new Map();
    if (batch.size === 0) return;
    const markers = [...new Set([...batch.values()].flatMap((m) => [...m]))];
    try {
      await this.products.updateMany({ _id: { $in: [...batch.keys()] } }, { $pull: { stockOps: { $in: markers } } });
    } catch (e) {
      this.log.warn(
        { products: batch.size, markers: markers.length, err: (e as Error).message },
        'settled stock markers stay on their products',
      );
    }
  }

  // null when another write came first; the stock can never go below 0 because the version pins it
  private async moveStock(
    current: ProductDocument,
    delta: number,
    markers: readonly string[],
    events: (p: ProductDocument) => OutboxEntry[],
  ): Promise<ProductDocument | null> {
    const next = { ...current, stock: current.stock + delta, version: current.version + 1, updatedAt: new Date() };
    if (next.stock < 0) return null;
    const staged = events(next);
    const res = await this.products.updateOne(
      { _id: current._id, version: current.version, stock: { $gte: -delta }, stockOps: { $nin: markers } },
      withEvents<ProductDocument>(
        { $inc: { stock: delta, version: 1 }, $push: { stockOps: { $each: [...markers] } }, $set: { updatedAt: next.updatedAt } },
        staged,
      ),
    );
    if (res.modifiedCount !== 1) return null;
    // a move that staged nothing gives the relay nothing to send
    if (staged.length > 0) this.relay.written(this.products, current._id);
    return { ...next, stockOps: [...current.stockOps, ...markers] };
  }

  async list(q: PageQuery & { category?: string }): Promise<{ items: ProductDocument[]; total: number }> {
    const filter = { ...LIVE, ...(q.category && { category: q.category }) };
    const [items, total] = await Promise.all([
      this.products
        .find(filter)
        .sort({ createdAt: 1, _id: 1 })
        .skip((q.page - 1) * q.limit)
        .limit(q.limit)
        .toArray(),
      this.products.countDocuments(filter),
    ]);
    return { items, total };
  }

  /**
   * applies changes if the product is still at `version`, with the events built from the result;
   * null when it is gone, 'conflict' when someone else changed it first (the caller retries)
   */
  async update(
    current: ProductDocument,
    changes: ProductChanges & { deletedAt?: Date },
    events: (p: ProductDocument) => OutboxEntry[],
  ): Promise<ProductDocument | 'conflict'> {
    const next = { ...current, ...changes, version: current.version + 1, updatedAt: new Date() };
    const res = await this.products.updateOne(
      { _id: current._id, version: current.version, ...LIVE },
      withEvents<ProductDocument>({ $set: { ...changes, version: next.version, updatedAt: next.updatedAt } }, events(next)),
    );
    if (res.modifiedCount !== 1) return 'conflict';
    this.relay.written(this.products, current._id);
    return next;
  }
}
