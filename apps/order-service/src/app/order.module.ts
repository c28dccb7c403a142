import { Module } from '@nestjs/common';
import { AuthModule } from '@ecom/auth';
import { PostgresModule, PostgresRateLimitCounts, PgOutboxModule } from '@ecom/store-postgres';
import { RateLimitsModule } from '@ecom/http';
import { KafkaModule } from '@ecom/kafka';
import { BrowseOrdersHttpController } from './browse-orders/browse-orders.http.controller';
import { CancelOrderHttpController } from './cancel-order/cancel-order.http.controller';
import { CancelOrderService } from './cancel-order/cancel-order.service';
import { orderMigrations } from './migrations';
import { OrderEntity, OrderLineEntity } from './orders/order.entity';
import { OrdersRepository } from './orders/orders.repository';
import { PlaceOrderHttpController } from './place-order/place-order.http.controller';
import { PlaceOrderService } from './place-order/place-order.service';
import { OrderSagaMessageController } from './saga/order-saga.message.controller';
import { OrderSagaService } from './saga/order-saga.service';
import { SagaMetrics } from './saga/saga.metrics';

const httpControllers = [PlaceOrderHttpController, BrowseOrdersHttpController, CancelOrderHttpController];
const messageControllers = [OrderSagaMessageController];
const services = [PlaceOrderService, CancelOrderService, OrderSagaService];
const repositories = [OrdersRepository];

@Module({
  imports: [
    AuthModule.forRoot(),
    PostgresModule.forRoot({ entities: [OrderEntity, OrderLineEntity], migrations: orderMigrations }),
    KafkaModule,
    PgOutboxModule,
    RateLimitsModule.forRoot(PostgresRateLimitCounts),
  ],
  controllers: [...httpControllers, ...messageControllers],
  providers: [...services, ...repositories, SagaMetrics],
})
export class OrderModule {}
