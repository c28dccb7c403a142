import { Module } from '@nestjs/common';
import { ElasticsearchModule, MongoModule, RedisModule } from '@ecom/datastores';
import { KafkaModule, MongoOutboxModule } from '@ecom/kafka';
import { productSearchIndex } from './product-search.index';

@Module({
  imports: [MongoModule.forRoot(), RedisModule, ElasticsearchModule.forRoot([productSearchIndex]), KafkaModule, MongoOutboxModule],
})
export class ProductModule {}
