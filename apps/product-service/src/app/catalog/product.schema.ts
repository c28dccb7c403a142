import type { Money } from '@ecom/events';
import { outboxIndex, type CollectionSpec, type OutboxFields } from '@ecom/store-mongo';

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
  /** set when the product is deleted; never written as null, which queries treat as absent (LIVE) */
  deletedAt?: Date | null;
}

/** the products collection (ProductsRepository): the SKU unique, the relay's flag, and the list's order */
export const PRODUCTS: CollectionSpec = {
  name: 'products',
  indexes: [
    { key: { sku: 1 }, unique: true },
    outboxIndex,
    // the list (ProductsRepository.list), all of it or one category: live products (deletedAt null) in
    // their order, so a page is read from the index and its total counted off it, not off the catalog
    { key: { deletedAt: 1, createdAt: 1, _id: 1 } },
    { key: { category: 1, deletedAt: 1, createdAt: 1, _id: 1 } },
  ],
  // the list's order before its live filter led the index
  retiredIndexes: ['createdAt_1__id_1'],
};
