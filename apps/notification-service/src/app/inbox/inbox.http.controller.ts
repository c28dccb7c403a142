import { Controller, Get, HttpCode, NotFoundException, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '@ecom/auth';
import { PageQuery, pageOf, RateLimit } from '@ecom/http';
import { NotificationPageView } from '../notifications/notification.view';
import { NotificationsStore } from '../notifications/notifications.store';
import { problem, ProblemView } from '../problem.view';

@ApiTags('notifications')
@ApiBearerAuth()
@ApiExtraModels(ProblemView)
@ApiUnauthorizedResponse(problem('No valid bearer token'))
@Controller('api/notifications')
export class InboxHttpController {
  constructor(private readonly notifications: NotificationsStore) {}

  @Get()
  @ApiOperation({ summary: "The caller's notifications, newest first, with the unread count" })
  @ApiOkResponse({ type: NotificationPageView })
  @ApiBadRequestResponse(problem('page or limit out of range, listed'))
  async list(@CurrentUser() caller: AuthUser, @Query() q: PageQuery): Promise<NotificationPageView> {
    const { items, total, unread } = await this.notifications.page(caller.id, q);
    return { ...pageOf(items, total, q), items, unread };
  }

  @RateLimit('write')
  @Post(':id/read')
  @HttpCode(204)
  @ApiOperation({ summary: 'Marks one notification read; marking it again changes nothing' })
  @ApiParam({ name: 'id', description: 'a notification id from the list or the stream' })
  @ApiNoContentResponse({ description: 'It is read' })
  @ApiNotFoundResponse(problem('No such notification among the caller’s'))
  async markRead(@CurrentUser() caller: AuthUser, @Param('id') id: string): Promise<void> {
    // another user's id is "not found" too: nobody learns what others have
    if ((await this.notifications.markRead(caller.id, id)) === 'not-found') throw new NotFoundException('no such notification');
  }
}
