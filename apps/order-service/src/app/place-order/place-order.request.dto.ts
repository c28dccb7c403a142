import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsString, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';

export const MAX_ITEMS = 100;
export const MAX_QUANTITY = 1000;

export class OrderItemRequest {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(100) productId!: string;

  @ApiProperty({ minimum: 1, maximum: MAX_QUANTITY })
  @IsInt({ message: 'quantity must be an integer' })
  @Min(1)
  @Max(MAX_QUANTITY)
  quantity!: number;
}

/** what to buy; prices and the total come from the catalog, never from the client */
export class PlaceOrderRequest {
  @ApiProperty({ type: [OrderItemRequest], minItems: 1, maxItems: MAX_ITEMS })
  @IsArray()
  @ArrayMinSize(1, { message: 'items must contain at least one item' })
  @ArrayMaxSize(MAX_ITEMS)
  @ValidateNested({ each: true })
  @Type(() => OrderItemRequest)
  items!: OrderItemRequest[];
}
