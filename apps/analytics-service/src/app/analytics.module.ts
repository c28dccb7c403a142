import { Module } from '@nestjs/common';
import { AuthModule } from '@ecom/auth';
import { CassandraModule } from '@ecom/datastores';
import { KafkaModule } from '@ecom/kafka';
import { analyticsSchema } from './analytics.schema';

@Module({
  imports: [
    AuthModule.forRoot(),
    CassandraModule.forRoot(analyticsSchema),
    KafkaModule,
  ],
})
export class AnalyticsModule {}
