import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiExtraModels,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnauthorizedResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '@ecom/auth';
import { PageQuery, pageOf, type Page } from '@ecom/http';
import { canSee } from '../orders/order-access';
import { OrderView } from '../orders/order.view';
import { OrdersRepository } from '../orders/orders.repository';

@ApiTags('orders')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No valid bearer token' })
@ApiExtraModels(OrderView)
@Controller('api/orders')
export class BrowseOrdersHttpController {
  constructor(private readonly orders: OrdersRepository) {}

  @Get()
  @ApiBadRequestResponse({ description: 'Bad page or limit' })
  @ApiOkResponse({
    description: "The caller's orders, newest first; admins see everyone's",
    schema: {
      type: 'object',
      required: ['items', 'page', 'limit', 'total'],
      properties: {
        items: { type: 'array', items: { $ref: getSchemaPath(OrderView) } },
        page: { type: 'integer' },
        limit: { type: 'integer' },
        total: { type: 'integer' },
      },
    },
  })
  async list(@CurrentUser() caller: AuthUser, @Query() q: PageQuery): Promise<Page<OrderView>> {
    const { items, total } = await this.orders.list(q, caller.role === 'admin' ? undefined : caller.id);
    return pageOf(items.map(OrderView.of), total, q);
  }

  @Get(':id')
  @ApiOkResponse({ type: OrderView })
  @ApiNotFoundResponse({ description: 'No such order, or not yours' })
  async get(@CurrentUser() caller: AuthUser, @Param('id') id: string): Promise<OrderView> {
    const order = await this.orders.find(id);
    if (!order || !canSee(caller, order)) throw new NotFoundException('no such order');
    return OrderView.of(order);
  }
}
