import { Module } from '@nestjs/common';
import { MongoModule, RedisModule } from '@ecom/datastores';
import { KafkaModule, MongoOutboxModule } from '@ecom/kafka';

@Module({
  imports: [MongoModule.forRoot(), RedisModule, KafkaModule, MongoOutboxModule],
})
export class UserModule {}
