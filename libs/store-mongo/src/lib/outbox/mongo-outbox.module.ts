import { Module } from '@nestjs/common';
import { MongoOutbox } from './mongo-outbox';
import { MongoOutboxRelay } from './mongo-outbox.relay';

/** needs KafkaModule; register collections with MongoOutboxRelay.watch(model) */
@Module({
  providers: [MongoOutbox, MongoOutboxRelay],
  exports: [MongoOutbox, MongoOutboxRelay],
})
export class MongoOutboxModule {}
