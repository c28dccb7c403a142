import { Module } from '@nestjs/common';
import { AuthModule } from '@ecom/auth';
import { RedisModule } from '@ecom/datastores';
import { KafkaModule } from '@ecom/kafka';

@Module({
  imports: [AuthModule.forRoot(), RedisModule, KafkaModule],
})
export class NotificationModule {}
