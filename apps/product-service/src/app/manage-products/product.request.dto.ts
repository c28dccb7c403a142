import { ApiProperty, ApiPropertyOptional, PartialType, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsString, Matches, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';

export class MoneyRequest {
  @ApiProperty({ description: 'minor units (cents), an integer', example: 1999 })
  @IsInt({ message: 'amount must be an integer number of minor units' })
  @Min(0)
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

  @ApiProperty({ minimum: 0 }) @IsInt({ message: 'stock must be an integer' }) @Min(0) stock!: number;

  @ApiProperty() @IsString() @MinLength(1) @MaxLength(100) category!: string;

  @ApiPropertyOptional({ type: [String] })
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  tags: string[] = [];
}

/** every field but the sku, which names the product for good */
export class UpdateProductRequest extends PartialType(OmitType(CreateProductRequest, ['sku'] as const)) {}
