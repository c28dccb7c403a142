import { Module } from '@nestjs/common';
import { AuthModule } from '@ecom/auth';
import { MongoModule, RedisModule } from '@ecom/datastores';
import { KafkaModule, MongoOutboxModule } from '@ecom/kafka';

@Module({
  imports: [
    AuthModule.forRoot({ sign: true }),
    MongoModule.forRoot(),
    RedisModule,
    KafkaModule,
    MongoOutboxModule,
  ],
})
export class UserModule {}
