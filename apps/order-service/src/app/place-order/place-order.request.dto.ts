import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
  ValidateNested,
} from 'class-validator';

export const MAX_ITEMS = 100;
export const MAX_QUANTITY = 1000;

export class OrderItemRequest {
  @ApiProperty({ minLength: 1, maxLength: 100 }) @IsString() @MinLength(1) @MaxLength(100) productId!: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_QUANTITY })
  @IsInt({ message: 'quantity must be an integer' })
  @Min(1)
  @Max(MAX_QUANTITY)
  quantity!: number;
}

/** the cap holds per product, not per line: repeating a product can't buy more of it */
function withinQuantityPerProduct(items: unknown): boolean {
  if (!Array.isArray(items)) return true; // @IsArray reports it
  const totals = new Map<unknown, number>();
  for (const item of items as Partial<OrderItemRequest>[]) {
    if (typeof item?.quantity !== 'number') continue; // the line's own checks report it
    totals.set(item.productId, (totals.get(item.productId) ?? 0) + item.quantity);
  }
  return [...totals.values()].every((q) => q <= MAX_QUANTITY);
}

/** what to buy; prices and the total come from the catalog, never from the client */
export class PlaceOrderRequest {
  @ApiProperty({
    type: [OrderItemRequest],
    minItems: 1,
    maxItems: MAX_ITEMS,
    description: `lines of the same product are added up, and together may not exceed ${MAX_QUANTITY}`,
  })
  @IsArray()
  @ArrayMinSize(1, { message: 'items must contain at least one item' })
  @ArrayMaxSize(MAX_ITEMS)
  @ValidateNested({ each: true })
  @ValidateBy({
    name: 'quantityPerProduct',
    validator: {
      validate: withinQuantityPerProduct,
      defaultMessage: () => `items must not add up to more than ${MAX_QUANTITY} of one product`,
    },
  })
  @Type(() => OrderItemRequest)
  items!: OrderItemRequest[];
}
