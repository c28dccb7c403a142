import { Module } from '@nestjs/common';
import { AuthModule } from '@ecom/auth';
import { PostgresModule } from '@ecom/datastores';
import { KafkaModule, PgOutboxModule } from '@ecom/kafka';
import { orderMigrations } from './migrations';

@Module({
  imports: [
    AuthModule.forRoot(),
    PostgresModule.forRoot({ entities: [], migrations: orderMigrations }),
    KafkaModule,
    PgOutboxModule,
  ],
})
export class OrderModule {}
