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
  deletedAt?: Date;
}

/** the products collection (ProductsRepository): the SKU unique, the relay's flag, and the list's order */
export const PRODUCTS: CollectionSpec = {
  name: 'products',
  indexes: [
    { key: { sku: 1 }, unique: true },
    outboxIndex,
    // the list's order (ProductsRepository.list): a page is read in order from the index, not sorted out of
    // the whole catalog. the local MongoDB-wire server accepts it but does not build it (adr 6)
    { key: { createdAt: 1, _id: 1 } },
  ],
};
