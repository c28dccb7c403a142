import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '@ecom/auth';
import { RateLimit } from '@ecom/http';
import { OrderView } from '../orders/order.view';
import { CancelOrderService } from './cancel-order.service';

@ApiTags('orders')
@ApiBearerAuth()
@Controller('api/orders')
export class CancelOrderHttpController {
  constructor(private readonly cancelOrder: CancelOrderService) {}

  @RateLimit('write')
  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOkResponse({ type: OrderView, description: 'CANCELLED; the reserved stock goes back to the catalog' })
  @ApiUnauthorizedResponse({ description: 'No valid bearer token' })
  @ApiNotFoundResponse({ description: 'No such order, or not yours' })
  @ApiConflictResponse({ description: 'The order is REJECTED or CANCELLED already' })
  async cancel(@CurrentUser() caller: AuthUser, @Param('id') id: string): Promise<OrderView> {
    return OrderView.of(await this.cancelOrder.cancel(caller, id));
  }
}
