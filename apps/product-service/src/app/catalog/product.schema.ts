import { Schema } from 'mongoose';
import type { Money } from '@ecom/events';
import { outboxSchemaFields, type OutboxFields } from '@ecom/store-mongo';

export interface ProductDocument extends OutboxFields {
  _id: string;
  sku: string;
  name: string;
  description: string;
  price: Money;
  stock: number;
  category: string;
  tags: string[];
  /** bumped by every change; the search index keeps the highest it has seen */
  version: number;
  /** markers of the stock operations applied for orders, kept until the order's reservation settles */
  stockOps: string[];
  createdAt: Date;
  updatedAt: Date;
  deletedAt?: Date;
}

export const PRODUCT_MODEL = 'Product';

export const productSchema = new Schema<ProductDocument>(
  {
    _id: { type: String, required: true },
    sku: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    description: { type: String, default: '' },
    price: { amount: { type: Number, required: true }, currency: { type: String, required: true } },
    stock: { type: Number, required: true, min: 0 },
    category: { type: String, required: true },
    tags: { type: [String], default: [] },
    version: { type: Number, default: 0 },
    stockOps: { type: [String], default: [] },
    deletedAt: { type: Date },
    ...outboxSchemaFields,
  },
  { timestamps: true, versionKey: false },
);

// the list's order (ProductsRepository.list): a page is read in order from the index, not sorted out of
// the whole catalog. the local MongoDB-wire server accepts it but does not build it (adr 6)
productSchema.index({ createdAt: 1, _id: 1 });
