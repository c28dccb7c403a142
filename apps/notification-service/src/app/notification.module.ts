import { Module } from '@nestjs/common';
import { AuthModule } from '@ecom/auth';
import { RedisModule, RedisRateLimitCounts } from '@ecom/store-redis';
import { RateLimitsModule } from '@ecom/http';
import { KafkaModule } from '@ecom/kafka';
import { InboxHttpController } from './inbox/inbox.http.controller';
import { NotificationStreams } from './live-stream/notification-streams';
import { StreamAuth } from './live-stream/stream-auth';
import { NotificationStreamHttpController } from './live-stream/stream.http.controller';
import { StreamTokens } from './live-stream/stream-tokens';
import { NotificationsStore } from './notifications/notifications.store';
import { NotifyMessageController } from './notify/notify.message.controller';

const httpControllers = [InboxHttpController, NotificationStreamHttpController];
const messageControllers = [NotifyMessageController];
const services = [NotificationStreams, StreamAuth, StreamTokens];
const repositories = [NotificationsStore];

@Module({
  imports: [AuthModule.forRoot(), RedisModule, RateLimitsModule.forRoot(RedisRateLimitCounts), KafkaModule],
  controllers: [...httpControllers, ...messageControllers],
  providers: [...services, ...repositories],
})
export class NotificationModule {}
