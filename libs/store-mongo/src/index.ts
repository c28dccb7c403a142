export * from './lib/mongo.module';
export * from './lib/mongo.health';
export * from './lib/outbox/outbox-fields';
export * from './lib/outbox/mongo-outbox';
export * from './lib/outbox/mongo-outbox.relay';
export * from './lib/outbox/mongo-outbox.module';
