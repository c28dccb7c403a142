import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { INTERVALS, type Interval } from '../facts/time-buckets';
import { WindowQuery } from '../reporting/window.query.dto';

export const METRICS = ['orders', 'revenue', 'signups'] as const;
export type Metric = (typeof METRICS)[number];

export const DEFAULT_CURRENCY = 'EUR';

export class TimeseriesQuery extends WindowQuery {
  @ApiProperty({
    enum: METRICS,
    description: 'orders: orders placed; revenue: totals of confirmed orders in one currency, minor units; signups: users registered',
  })
  @IsIn(METRICS, { message: `metric must be one of ${METRICS.join(', ')}` })
  metric!: Metric;

  @ApiPropertyOptional({ enum: INTERVALS, default: 'hour', description: 'bucket size, aligned to UTC; at most 1500 buckets' })
  @IsOptional()
  @IsIn(INTERVALS, { message: `interval must be one of ${INTERVALS.join(', ')}` })
  interval: Interval = 'hour';

  @ApiPropertyOptional({
    example: 'EUR',
    pattern: '^[A-Z]{3}$',
    description: `metric=revenue only: the ISO 4217 currency to sum (amounts in different currencies never add up). Default: ${DEFAULT_CURRENCY}`,
  })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as EUR' })
  currency?: string;
}
