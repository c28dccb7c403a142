import { ApiProperty, ApiPropertyOptional, PartialType, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsObject,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

// bounds that keep every figure a safe integer: an order's total is at most MAX_PRICE x 1,000 units x
// 100 lines, 10^15 minor units
export const MAX_PRICE = 10_000_000_000;
export const MAX_STOCK = 1_000_000_000;

export class MoneyRequest {
  @ApiProperty({ type: 'integer', description: 'minor units (cents)', example: 1999, minimum: 0, maximum: MAX_PRICE })
  @IsInt({ message: 'amount must be an integer number of minor units' })
  @Min(0)
  @Max(MAX_PRICE)
  amount!: number;

  @ApiProperty({ example: 'EUR', pattern: '^[A-Z]{3}$', description: 'ISO 4217' })
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as EUR' })
  currency!: string;
}

export class CreateProductRequest {
  @ApiProperty({ example: 'TEA-GREEN-100', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$', maxLength: 64 })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'sku must be 1-64 letters, digits, dots, dashes or underscores' })
  sku!: string;

  @ApiProperty({ minLength: 1, maxLength: 200 }) @IsString() @MinLength(1) @MaxLength(200) name!: string;

  @ApiProperty({ maxLength: 5000 }) @IsString() @MaxLength(5000) description!: string;

  @ApiProperty({ type: MoneyRequest }) @IsObject() @ValidateNested() @Type(() => MoneyRequest) price!: MoneyRequest;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: MAX_STOCK })
  @IsInt({ message: 'stock must be an integer' })
  @Min(0)
  @Max(MAX_STOCK)
  stock!: number;

  @ApiProperty({ minLength: 1, maxLength: 100 }) @IsString() @MinLength(1) @MaxLength(100) category!: string;

  // no initializer: PartialType copies initializers, and a PATCH without tags would then clear them
  @ApiPropertyOptional({
    type: [String],
    maxItems: 20,
    items: { type: 'string', maxLength: 50 },
    description: 'none when left out on create',
  })
  // left out is none; null is refused (IsOptional would let it through)
  @ValidateIf((_request, value) => value !== undefined)
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  tags?: string[];
}

/** every field but the sku, which names the product for good; a field left out is unchanged, null is refused */
export class UpdateProductRequest extends PartialType(OmitType(CreateProductRequest, ['sku'] as const), { skipNullProperties: false }) {}
