export * from './lib/constants';
export * from './lib/is-transient';
export * from './lib/store-unavailable';
export * from './lib/with-retry';
