import { Module } from '@nestjs/common';
import { PgOutbox } from './pg-outbox';
import { PgOutboxRelay } from './pg-outbox.relay';

/** needs KafkaModule and a TypeORM DataSource whose migrations include EventsOutbox */
@Module({
  providers: [PgOutbox, PgOutboxRelay],
  exports: [PgOutbox, PgOutboxRelay],
})
export class PgOutboxModule {}
