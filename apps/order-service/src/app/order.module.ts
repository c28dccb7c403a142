import { Module } from '@nestjs/common';
import { PostgresModule } from '@ecom/datastores';
import { KafkaModule, PgOutboxModule } from '@ecom/kafka';
import { orderMigrations } from './migrations';

@Module({
  imports: [PostgresModule.forRoot({ entities: [], migrations: orderMigrations }), KafkaModule, PgOutboxModule],
})
export class OrderModule {}
