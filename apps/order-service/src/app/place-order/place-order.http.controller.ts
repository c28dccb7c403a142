import { BadRequestException, Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiHeader,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser, type AuthUser } from '@ecom/auth';
import { RateLimit } from '@ecom/http';
import { OrderView } from '../orders/order.view';
import { idempotencyKeyProblem } from './order-request';
import { PlaceOrderRequest } from './place-order.request.dto';
import { PlaceOrderService } from './place-order.service';

@ApiTags('orders')
@ApiBearerAuth()
@Controller('api/orders')
export class PlaceOrderHttpController {
  constructor(private readonly placeOrder: PlaceOrderService) {}

  @RateLimit('write')
  @Post()
  @HttpCode(202)
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Makes retries safe: the same key with the same body returns the same order; with a different body, 422.',
  })
  @ApiAcceptedResponse({
    type: OrderView,
    description:
      'The order is PENDING until the catalog reserves its stock (CONFIRMED) or cannot (REJECTED). A replay carries Idempotent-Replayed: true.',
  })
  @ApiBadRequestResponse({ description: 'Invalid items, listed, or a malformed Idempotency-Key' })
  @ApiUnauthorizedResponse({ description: 'No valid bearer token' })
  @ApiUnprocessableEntityResponse({ description: 'The Idempotency-Key was used before with a different body' })
  async place(
    @CurrentUser() caller: AuthUser,
    @Body() body: PlaceOrderRequest,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<OrderView> {
    const problem = idempotencyKeyProblem(key);
    if (problem) throw new BadRequestException(problem);
    const { order, replayed } = await this.placeOrder.place(caller, body.items, key);
    if (replayed) void res.header('idempotent-replayed', 'true');
    return OrderView.of(order);
  }
}
