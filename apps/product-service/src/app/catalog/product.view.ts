import { ApiProperty } from '@nestjs/swagger';
import type { ProductUpserted } from '@ecom/events';
import type { CachedProduct } from './product-cache';

class MoneyView {
  @ApiProperty({ description: 'minor units, e.g. cents' }) amount!: number;
  @ApiProperty({ example: 'EUR' }) currency!: string;
}

export class ProductView {
  @ApiProperty() id!: string;
  @ApiProperty() sku!: string;
  @ApiProperty() name!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ type: MoneyView }) price!: MoneyView;
  @ApiProperty() stock!: number;
  @ApiProperty() category!: string;
  @ApiProperty({ type: [String] }) tags!: string[];
  @ApiProperty() version!: number;

  static of(p: CachedProduct): ProductView {
    return {
      id: p._id,
      sku: p.sku,
      name: p.name,
      description: p.description,
      price: p.price,
      stock: p.stock,
      category: p.category,
      tags: p.tags,
      version: p.version,
    };
  }

  /** the view as the JSON a read answers */
  static json(this: void, p: CachedProduct): string {
    return JSON.stringify(ProductView.of(p));
  }
}

/** the snapshot the search index and other services receive after every write */
export function upsertedPayload(p: CachedProduct): ProductUpserted {
  const { id, ...rest } = ProductView.of(p);
  return { productId: id, ...rest, price: { amount: p.price.amount, currency: p.price.currency } };
}
