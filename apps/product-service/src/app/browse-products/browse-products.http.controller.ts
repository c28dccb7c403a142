import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { Public } from '@ecom/auth';
import { ApiPageResponse, PageQuery, pageOf, type Page } from '@ecom/http';
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

  @Get(':id')
  @ApiOkResponse({ type: ProductView })
  @ApiNotFoundResponse({ description: 'No such product' })
  async get(@Param('id') id: string): Promise<ProductView> {
    const cached = await this.cache.get(id);
    if (cached?.deletedAt) throw new NotFoundException('no such product');
    if (cached) return ProductView.of(cached);
    const product = await this.products.findById(id);
    if (!product) throw new NotFoundException('no such product');
    await this.cache.fill(product);
    return ProductView.of(product);
  }
}
