import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { INTERVALS } from '../facts/time-buckets';
import { METRICS } from './timeseries.query.dto';

export class PointView {
  @ApiProperty({ description: 'start of the bucket, UTC', format: 'date-time', example: '2025-01-31T10:00:00.000Z' }) at!: string;
  @ApiProperty({ description: 'a count, or minor units for revenue; 0 for an empty bucket', example: 3 }) value!: number;
}

export class TimeseriesView {
  @ApiProperty({ enum: METRICS }) metric!: string;
  @ApiProperty({ enum: INTERVALS }) interval!: string;
  @ApiPropertyOptional({ description: 'metric=revenue only: the currency of the values', example: 'EUR' }) currency?: string;
  @ApiProperty({ description: 'start, inclusive: the requested from, widened down to a bucket boundary', format: 'date-time' })
  from!: string;
  @ApiProperty({ description: 'end, exclusive: the requested to, widened up to a bucket boundary', format: 'date-time' }) to!: string;
  @ApiProperty({ type: [PointView], description: 'one point per bucket from `from` to `to`, oldest first, empty buckets included as 0' })
  points!: PointView[];
}
