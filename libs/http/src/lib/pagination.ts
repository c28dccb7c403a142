import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export const MAX_PAGE_SIZE = 100;
/** deeper than this, a client should narrow its query: the store would skip up to a million rows */
export const MAX_PAGE = 10_000;

/** ?page&limit, validated: page 1..10,000, limit 1..100 */
export class PageQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  page = 1;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit = 20;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly page: number;
  readonly limit: number;
  readonly total: number;
}

/** how many rows to skip for a page */
export const offsetOf = (q: PageQuery): number => (q.page - 1) * q.limit;

export function pageOf<T>(items: readonly T[], total: number, q: PageQuery): Page<T> {
  return { items, page: q.page, limit: q.limit, total };
}
