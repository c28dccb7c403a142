import { ApiProperty } from '@nestjs/swagger';

export class OrderCountsView {
  @ApiProperty({ description: 'order.placed events: orders customers placed', example: 42 }) placed!: number;
  @ApiProperty({ description: 'order.confirmed events: orders with every item reserved', example: 37 }) confirmed!: number;
  @ApiProperty({ description: 'order.rejected events', example: 4 }) rejected!: number;
  @ApiProperty({ description: 'order.cancelled events', example: 1 }) cancelled!: number;
}

export class RevenueView {
  @ApiProperty({ description: 'ISO 4217 code', example: 'EUR' }) currency!: string;
  @ApiProperty({ description: 'sum of the totals of confirmed orders, minor units (cents)', example: 123450 }) amount!: number;
}

export class ProductQuantityView {
  @ApiProperty() productId!: string;
  @ApiProperty({ description: 'units sold in confirmed orders', example: 12 }) quantity!: number;
}

/** what happened in [from, to), by the time each event occurred */
export class SummaryView {
  @ApiProperty({ description: 'start, inclusive: the requested from, widened down to the minute', format: 'date-time' }) from!: string;
  @ApiProperty({ description: 'end, exclusive: the requested to, widened up to the minute', format: 'date-time' }) to!: string;
  @ApiProperty({ description: 'user.registered events (sign-ups)', example: 9 }) usersRegistered!: number;
  @ApiProperty({ type: OrderCountsView }) orders!: OrderCountsView;

  @ApiProperty({
    type: [RevenueView],
    description: 'gross revenue of confirmed orders, one entry per currency that had any, by currency code; cancellations are not deducted',
  })
  revenue!: RevenueView[];

  @ApiProperty({
    type: [ProductQuantityView],
    description: 'at most 10 products with the most units in confirmed orders, most first (ties by productId)',
  })
  topProducts!: ProductQuantityView[];
}
