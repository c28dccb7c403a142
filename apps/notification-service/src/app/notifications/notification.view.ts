import { ApiProperty } from '@nestjs/swagger';
import { NOTIFICATION_TYPES, type Notification, type NotificationType } from './notification';

export class NotificationView {
  @ApiProperty({ example: 'm7pd0a68-3f1c2b7e-8a5d-4c8e-9a51-2b1f0c6d7e8f' }) id!: string;
  @ApiProperty({ enum: NOTIFICATION_TYPES }) type!: NotificationType;
  @ApiProperty({ example: 'Order confirmed' }) title!: string;
  @ApiProperty({ example: 'Your order 8d2f… is confirmed. Total: €12.50.' }) body!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'per type: order.* carry orderId; order.confirmed also total (minor units), order.rejected also reason',
    example: { orderId: '8d2f0c1e-0f4a-4c55-b1a7-2f3e4d5c6b7a', total: { amount: 1250, currency: 'EUR' } },
  })
  data!: Record<string, unknown>;

  @ApiProperty({ description: 'when the event behind it happened (ISO 8601)' }) createdAt!: string;
  @ApiProperty() read!: boolean;

  static of(n: Notification, read: boolean): NotificationView {
    return { id: n.id, type: n.type, title: n.title, body: n.body, data: { ...n.data }, createdAt: n.createdAt, read };
  }
}

export class NotificationPageView {
  @ApiProperty({ type: [NotificationView], description: 'newest first' }) items!: NotificationView[];
  @ApiProperty() page!: number;
  @ApiProperty() limit!: number;
  @ApiProperty({ description: 'notifications kept for the caller (at most the per-user cap)' }) total!: number;
  @ApiProperty({ description: 'how many of them are unread' }) unread!: number;
}
