import { ApiProperty, ApiPropertyOptional, PartialType, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';

// bounds that keep every figure a safe integer: an order's total is at most MAX_PRICE x 1,000 units x
// 100 lines, 10^15 minor units
export const MAX_PRICE = 10_000_000_000;
export const MAX_STOCK = 1_000_000_000;

export class MoneyRequest {
  @ApiProperty({ description: 'minor units (cents), an integer', example: 1999, minimum: 0, maximum: MAX_PRICE })
  @IsInt({ message: 'amount must be an integer number of minor units' })
  @Min(0)
  @Max(MAX_PRICE)
  amount!: number;

  @ApiProperty({ example: 'EUR' })
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as EUR' })
  currency!: string;
}

export class CreateProductRequest {
  @ApiProperty({ example: 'TEA-GREEN-100' })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'sku must be 1-64 letters, digits, dots, dashes or underscores' })
  sku!: string;

  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) name!: string;

  @ApiProperty() @IsString() @MaxLength(5000) description!: string;

  @ApiProperty({ type: MoneyRequest }) @ValidateNested() @Type(() => MoneyRequest) price!: MoneyRequest;

  @ApiProperty({ minimum: 0, maximum: MAX_STOCK }) @IsInt({ message: 'stock must be an integer' }) @Min(0) @Max(MAX_STOCK) stock!: number;

  @ApiProperty() @IsString() @MinLength(1) @MaxLength(100) category!: string;

  // no initializer: PartialType copies initializers, and a PATCH without tags would then clear them
  @ApiPropertyOptional({ type: [String], description: 'none when left out on create' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  tags?: string[];
}

/** every field but the sku, which names the product for good */
export class UpdateProductRequest extends PartialType(OmitType(CreateProductRequest, ['sku'] as const)) {}
