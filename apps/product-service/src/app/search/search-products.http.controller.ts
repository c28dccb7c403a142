import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public, RateLimit } from '@ecom/http';
import { SearchProductsQuery } from './search-products.query.dto';
import { SearchProductsService, type SearchResult } from './search-products.service';
import { SearchResultView } from './search-result.view';

@ApiTags('products')
@Public()
@Controller('api/products')
export class SearchProductsHttpController {
  constructor(private readonly searching: SearchProductsService) {}

  // a static path: the router prefers it to :id
  @RateLimit('search')
  @Get('search')
  @ApiOkResponse({ type: SearchResultView, description: 'A page of hits, best first, with the category counts of all hits' })
  @ApiBadRequestResponse({ description: 'Invalid query parameters, listed' })
  search(@Query() q: SearchProductsQuery): Promise<SearchResult> {
    return this.searching.search(q);
  }
}
