import { Body, Controller, Delete, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { AdminOnly } from '@ecom/auth';
import { RateLimit } from '@ecom/http';
import { ProductView } from '../catalog/product.view';
import { CreateProductRequest, UpdateProductRequest } from './product.request.dto';
import { ManageProductsService } from './manage-products.service';

@ApiTags('products')
@AdminOnly()
@Controller('api/products')
export class ManageProductsHttpController {
  constructor(private readonly manage: ManageProductsService) {}

  @RateLimit('write')
  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ type: ProductView })
  @ApiBadRequestResponse({ description: 'Invalid fields, listed' })
  @ApiConflictResponse({ description: 'The sku exists already' })
  async create(@Body() body: CreateProductRequest): Promise<ProductView> {
    return ProductView.of(await this.manage.create(body));
  }

  @RateLimit('write')
  @Patch(':id')
  @ApiBadRequestResponse({ description: 'Invalid fields, listed, or nothing to change' })
  @ApiOkResponse({ type: ProductView })
  @ApiNotFoundResponse({ description: 'No such product' })
  async update(@Param('id') id: string, @Body() body: UpdateProductRequest): Promise<ProductView> {
    return ProductView.of(await this.manage.update(id, body));
  }

  @RateLimit('write')
  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted; a product.deleted event follows' })
  @ApiNotFoundResponse({ description: 'No such product' })
  async delete(@Param('id') id: string): Promise<void> {
    await this.manage.delete(id);
  }
}
