export * from './lib/topics';
export * from './lib/envelope';
export * from './lib/events-map';
export * from './lib/validate';
export * from './lib/create-envelope';
export * from './lib/contracts/user-events';
export * from './lib/contracts/product-events';
export * from './lib/contracts/order-events';
