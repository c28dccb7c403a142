import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Topics } from '@ecom/events';
import { MongoOutbox } from '@ecom/store-mongo';
import { ProductCache } from '../catalog/product-cache';
import type { ProductDocument } from '../catalog/product.schema';
import { upsertedPayload } from '../catalog/product.view';
import { DuplicateSkuError, ProductsRepository, type ProductChanges } from '../catalog/products.repository';
import type { CreateProductRequest } from './product.request.dto';

const MAX_ATTEMPTS = 5;

/** admin writes: each one carries its product.upserted (or deleted) event in the same write */
@Injectable()
export class ManageProductsService {
  constructor(
    private readonly products: ProductsRepository,
    private readonly outbox: MongoOutbox,
    private readonly cache: ProductCache,
  ) {}

  async create(body: CreateProductRequest): Promise<ProductDocument> {
    const id = randomUUID();
    try {
      const product = await this.products.create({ _id: id, ...body, tags: body.tags ?? [] }, (p) => [this.upserted(p)]);
      this.outbox.flush();
      return product;
    } catch (e) {
      if (e instanceof DuplicateSkuError) throw new ConflictException(`a product with sku ${body.sku} already exists`);
      throw e;
    }
  }

  async update(id: string, changes: ProductChanges): Promise<ProductDocument> {
    if (Object.keys(changes).length === 0) throw new BadRequestException('send at least one field to change');
    return this.write(id, changes, (p) => this.upserted(p));
  }

  async delete(id: string): Promise<void> {
    await this.write(id, { deletedAt: new Date() }, (p) =>
      this.outbox.event(Topics.ProductDeleted, { productId: p._id, version: p.version }, { key: p._id }),
    );
  }

  // optimistic: re-read and retry when another write (an admin, a stock reservation) came first
  private async write(
    id: string,
    changes: ProductChanges & { deletedAt?: Date },
    event: (p: ProductDocument) => ReturnType<MongoOutbox['event']>,
  ) {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.products.findById(id);
      if (!current) throw new NotFoundException('no such product');
      const result = await this.products.update(current, changes, (p) => [event(p)]);
      if (result === 'conflict') continue;
      await this.cache.put(result);
      this.outbox.flush();
      return result;
    }
    throw new ConflictException('the product is being changed by others; try again');
  }

  private upserted(p: ProductDocument) {
    return this.outbox.event(Topics.ProductUpserted, upsertedPayload(p), { key: p._id });
  }
}
