import { Module } from '@nestjs/common';
import { RedisModule } from '@ecom/datastores';
import { KafkaModule } from '@ecom/kafka';

@Module({
  imports: [RedisModule, KafkaModule],
})
export class NotificationModule {}
