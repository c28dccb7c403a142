import type { EventsMap } from './events-map';
import { Topics, type TopicName } from './topics';

const eur = (amount: number) => ({ amount, currency: 'EUR' });
const line = { productId: 'p-1', quantity: 2 };

/**
 * payloads of each topic's current version. the contract snapshot keeps them, and the next change
 * to a contract must still read them (upcast if the version was bumped). show every optional field.
 */
export const contractExamples: { readonly [T in TopicName]: readonly EventsMap[T][] } = {
  [Topics.UserRegistered]: [{ userId: 'u-1', email: 'ada@example.com', name: 'Ada', role: 'customer' }],
  [Topics.UserDeleted]: [{ userId: 'u-1' }],
  [Topics.ProductUpserted]: [
    {
      productId: 'p-1',
      version: 3,
      sku: 'SKU-1',
      name: 'Kettle',
      description: 'A kettle',
      price: eur(2999),
      stock: 12,
      category: 'kitchen',
      tags: ['steel'],
    },
  ],
  [Topics.ProductDeleted]: [{ productId: 'p-1', version: 4 }],
  [Topics.OrderPlaced]: [{ orderId: 'o-1', userId: 'u-1', lines: [line] }],
  [Topics.OrderConfirmed]: [{ orderId: 'o-1', userId: 'u-1', lines: [{ ...line, unitPrice: eur(2999) }], total: eur(5998) }],
  [Topics.OrderRejected]: [{ orderId: 'o-1', userId: 'u-1', reason: 'out of stock' }],
  [Topics.OrderCancelled]: [{ orderId: 'o-1', userId: 'u-1' }],
  [Topics.StockReserved]: [{ orderId: 'o-1', lines: [{ ...line, sku: 'SKU-1', name: 'Kettle', unitPrice: eur(2999) }], total: eur(5998) }],
  [Topics.StockRejected]: [{ orderId: 'o-1', reason: 'out of stock' }],
  [Topics.StockReleased]: [{ orderId: 'o-1' }],
};
