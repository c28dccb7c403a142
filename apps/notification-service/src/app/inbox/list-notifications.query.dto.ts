import { ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_PAGE_SIZE, PageQuery } from '@ecom/http';

/**
 * PageQuery as it is (validation and conversion are inherited), with the two fields typed for the
 * OpenAPI document: the shared class declares them without a type, so they document as Object
 */
export class ListNotificationsQuery extends PageQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, default: 1 })
  override page = 1;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: 20 })
  override limit = 20;
}
