import { Controller, Get, Header, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { ApiPageResponse, DirectRoute, PageQuery, Public, pageOf, type Page } from '@ecom/http';
import { ProductCache } from '../catalog/product-cache';
import { ProductView } from '../catalog/product.view';
import { ProductsRepository } from '../catalog/products.repository';

export class ListProductsQuery extends PageQuery {
  @ApiPropertyOptional({ maxLength: 100 }) @IsOptional() @IsString() @MaxLength(100) category?: string;
}

@ApiTags('products')
@Public()
@Controller('api/products')
export class BrowseProductsHttpController {
  constructor(
    private readonly products: ProductsRepository,
    private readonly cache: ProductCache,
  ) {}

  @Get()
  @ApiBadRequestResponse({ description: 'Bad page, limit or category' })
  @ApiPageResponse(ProductView, 'Products, oldest first')
  async list(@Query() q: ListProductsQuery): Promise<Page<ProductView>> {
    const { items, total } = await this.products.list(q);
    return pageOf(items.map(ProductView.of), total, q);
  }

  // the hot read: answered by fastify past nest's router (@DirectRoute), as JSON text rendered once per
  // cache entry (ProductCache.answer). an error's own content type (problem+json) replaces the header
  @Get(':id')
  @DirectRoute()
  @Header('content-type', 'application/json; charset=utf-8')
  @ApiOkResponse({ type: ProductView })
  @ApiNotFoundResponse({ description: 'No such product' })
  async get(@Param('id') id: string): Promise<string> {
    const cached = await this.cache.answer(id, ProductView.json);
    if (cached && 'deleted' in cached) throw new NotFoundException('no such product');
    if (cached) return cached.json;
    const product = await this.products.findById(id);
    if (!product) throw new NotFoundException('no such product');
    await this.cache.fill(product);
    return ProductView.json(product);
  }
}
