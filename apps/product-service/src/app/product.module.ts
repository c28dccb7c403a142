import { Module } from '@nestjs/common';
import { AuthModule } from '@ecom/auth';
import {
  ElasticsearchModule,
  MongoModule,
  RedisModule,
} from '@ecom/datastores';
import { KafkaModule, MongoOutboxModule } from '@ecom/kafka';
import { productSearchIndex } from './product-search.index';

@Module({
  imports: [
    AuthModule.forRoot(),
    MongoModule.forRoot(),
    RedisModule,
    ElasticsearchModule.forRoot([productSearchIndex]),
    KafkaModule,
    MongoOutboxModule,
  ],
})
export class ProductModule {}
