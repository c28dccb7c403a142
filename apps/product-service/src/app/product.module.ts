import { Module } from '@nestjs/common';
import { AuthModule } from '@ecom/auth';
import { ElasticsearchModule } from '@ecom/store-elasticsearch';
import { MongoModule, MongoOutboxModule } from '@ecom/store-mongo';
import { RedisModule, RedisRateLimitCounts } from '@ecom/store-redis';
import { RateLimitsModule } from '@ecom/http';
import { KafkaModule } from '@ecom/kafka';
import { BrowseProductsHttpController } from './browse-products/browse-products.http.controller';
import { ProductCache } from './catalog/product-cache';
import { PRODUCTS } from './catalog/product.schema';
import { ProductsRepository } from './catalog/products.repository';
import { ManageProductsHttpController } from './manage-products/manage-products.http.controller';
import { ManageProductsService } from './manage-products/manage-products.service';
import { productSearchIndex } from './product-search.index';
import { ProductIndexMessageController } from './search/product-index.message.controller';
import { ProductIndexWriter } from './search/product-index.writer';
import { SearchProductsHttpController } from './search/search-products.http.controller';
import { SearchProductsService } from './search/search-products.service';
import { RESERVATIONS } from './stock/reservation.schema';
import { ReservationsRepository } from './stock/reservations.repository';
import { StockMessageController } from './stock/stock.message.controller';
import { StockReservationsService } from './stock/stock-reservations.service';

const httpControllers = [SearchProductsHttpController, BrowseProductsHttpController, ManageProductsHttpController];
const messageControllers = [ProductIndexMessageController, StockMessageController];
const services = [ManageProductsService, SearchProductsService, StockReservationsService, ProductCache, ProductIndexWriter];
const repositories = [ProductsRepository, ReservationsRepository];

@Module({
  imports: [
    AuthModule.forRoot(),
    MongoModule.forRoot(),
    MongoModule.forFeature([PRODUCTS, RESERVATIONS]),
    RedisModule,
    RateLimitsModule.forRoot(RedisRateLimitCounts),
    ElasticsearchModule.forRoot([productSearchIndex]),
    KafkaModule,
    MongoOutboxModule,
  ],
  controllers: [...httpControllers, ...messageControllers],
  providers: [...services, ...repositories],
})
export class ProductModule {}
