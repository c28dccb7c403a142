import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '@ecom/auth';
import { SearchProductsQuery } from './search-products.query.dto';
import { SearchProductsService, type SearchResult } from './search-products.service';
import { RateLimit } from '@ecom/http';

@ApiTags('products')
@Public()
@Controller('api/products')
export class SearchProductsHttpController {
  constructor(private readonly searching: SearchProductsService) {}

  // a static path: the router prefers it to :id
  @RateLimit('search')
  @Get('search')
  @ApiOkResponse({ description: '{ items (with score and highlights), page, limit, total, facets.category }' })
  @ApiBadRequestResponse({ description: 'Invalid query parameters, listed' })
  search(@Query() q: SearchProductsQuery): Promise<SearchResult> {
    return this.searching.search(q);
  }
}
