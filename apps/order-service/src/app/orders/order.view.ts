import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ORDER_STATUSES, type OrderStatus } from './order-status';
import type { OrderEntity } from './order.entity';

export class MoneyView {
  @ApiProperty({ description: 'minor units, e.g. cents', example: 2500 }) amount!: number;
  @ApiProperty({ example: 'EUR' }) currency!: string;
}

export class OrderItemView {
  @ApiProperty() productId!: string;
  @ApiProperty() quantity!: number;
  @ApiPropertyOptional({ description: 'known once the stock is reserved' }) sku?: string;
  @ApiPropertyOptional({ description: 'known once the stock is reserved' }) name?: string;
  @ApiPropertyOptional({ type: MoneyView, description: 'the catalog price when the stock was reserved' }) unitPrice?: MoneyView;
}

export class OrderView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() userId!: string;
  @ApiProperty({ enum: ORDER_STATUSES }) status!: OrderStatus;
  @ApiProperty({ type: [OrderItemView] }) items!: OrderItemView[];
  @ApiProperty({ type: MoneyView, nullable: true, description: 'from the catalog prices; null until the stock is reserved' })
  total!: MoneyView | null;
  @ApiProperty({ type: String, nullable: true, description: 'why the order was rejected' }) reason!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;

  static of(o: OrderEntity): OrderView {
    const currency = o.currency ?? undefined;
    return {
      id: o.id,
      userId: o.userId,
      status: o.status,
      items: [...o.lines]
        .sort((a, b) => a.lineNo - b.lineNo)
        .map((l) => ({
          productId: l.productId,
          quantity: l.quantity,
          ...(l.sku !== null && { sku: l.sku }),
          ...(l.name !== null && { name: l.name }),
          ...(l.unitPriceAmount !== null && currency && { unitPrice: { amount: l.unitPriceAmount, currency } }),
        })),
      total: o.totalAmount !== null && currency ? { amount: o.totalAmount, currency } : null,
      reason: o.reason,
      createdAt: o.createdAt.toISOString(),
      updatedAt: o.updatedAt.toISOString(),
    };
  }
}
