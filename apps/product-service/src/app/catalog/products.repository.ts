import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { PageQuery } from '@ecom/http';
import { MongoOutboxRelay, newDocumentOutbox, withEvents, type OutboxEntry } from '@ecom/kafka';
import { PRODUCT_MODEL, type ProductDocument } from './product.schema';

export type NewProduct = Pick<ProductDocument, '_id' | 'sku' | 'name' | 'description' | 'price' | 'stock' | 'category' | 'tags'>;
export type ProductChanges = Partial<Omit<NewProduct, '_id' | 'sku'>>;

export class DuplicateSkuError extends Error {}

// products that are not deleted
const LIVE = { deletedAt: { $exists: false } };

/** the only place that touches the products collection; events go in the same write */
@Injectable()
export class ProductsRepository implements OnModuleInit {
  constructor(
    @InjectModel(PRODUCT_MODEL) private readonly products: Model<ProductDocument>,
    private readonly relay: MongoOutboxRelay,
  ) {}

  onModuleInit(): void {
    this.relay.watch(this.products as never);
  }

  async create(product: NewProduct, events: (p: ProductDocument) => OutboxEntry[]): Promise<ProductDocument> {
    const doc = { ...product, version: 1, createdAt: new Date(), updatedAt: new Date() } as ProductDocument;
    try {
      return (await this.products.create({ ...doc, ...newDocumentOutbox(events(doc)) })).toObject();
    } catch (e) {
      if ((e as { code?: number }).code === 11000) throw new DuplicateSkuError(product.sku);
      throw e;
    }
  }

  findById(id: string): Promise<ProductDocument | null> {
    return this.products.findOne({ _id: id, ...LIVE }).lean<ProductDocument>().exec();
  }

  async list(q: PageQuery & { category?: string }): Promise<{ items: ProductDocument[]; total: number }> {
    const filter = { ...LIVE, ...(q.category && { category: q.category }) };
    const [items, total] = await Promise.all([
      this.products.find(filter).sort({ createdAt: 1, _id: 1 }).skip((q.page - 1) * q.limit).limit(q.limit).lean<ProductDocument[]>().exec(),
      this.products.countDocuments(filter).exec(),
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
      withEvents({ $set: { ...changes, version: next.version, updatedAt: next.updatedAt } }, events(next)),
    );
    return res.modifiedCount === 1 ? next : 'conflict';
  }
}
