import { Module } from '@nestjs/common';
import { CassandraModule } from '@ecom/datastores';
import { KafkaModule } from '@ecom/kafka';
import { analyticsSchema } from './analytics.schema';

@Module({
  imports: [CassandraModule.forRoot(analyticsSchema), KafkaModule],
})
export class AnalyticsModule {}
