import { Controller, Get, HttpCode, Logger, Post, Query, Req, Res } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentUser, type AuthUser } from '@ecom/auth';
import { Public, RateLimit } from '@ecom/http';
import type { NotificationView } from '../notifications/notification.view';
import type { NotificationsConfig } from '../notifications/notifications.config';
import { NotificationsStore } from '../notifications/notifications.store';
import { problem, ProblemView } from '../problem.view';
import { NotificationStreams } from './notification-streams';
import { SseStream } from './sse';
import { StreamAuth } from './stream-auth';
import { StreamQuery, StreamTokenView } from './stream.dto';
import { StreamTokens } from './stream-tokens';

const EVENT = 'notification';
const frameOf = (n: NotificationView) => ({ id: n.id, event: EVENT, data: JSON.stringify(n) });
const MAX_LAST_EVENT_ID = 100;

@ApiTags('notifications')
@ApiBearerAuth()
@ApiExtraModels(ProblemView)
@Controller('api/notifications')
export class NotificationStreamHttpController {
  private readonly log = new Logger(NotificationStreamHttpController.name);

  constructor(
    private readonly auth: StreamAuth,
    private readonly tokens: StreamTokens,
    private readonly streams: NotificationStreams,
    private readonly notifications: NotificationsStore,
    private readonly config: ConfigService,
  ) {}

  @RateLimit('write')
  @Post('stream-tokens')
  @HttpCode(201)
  @ApiOperation({
    summary: 'A single-use token to open the stream with',
    description: 'For clients that cannot send an Authorization header on GET /api/notifications/stream (EventSource). Valid 60 s, once.',
  })
  @ApiCreatedResponse({ type: StreamTokenView })
  @ApiUnauthorizedResponse(problem('No valid bearer token'))
  issueToken(@CurrentUser() caller: AuthUser): Promise<StreamTokenView> {
    return this.tokens.issue(caller.id);
  }

  // @Public: the global guard knows bearer headers only; this route also takes a query token
  @Public()
  @Get('stream')
  @ApiOperation({
    summary: "The caller's new notifications, live (Server-Sent Events)",
    description:
      'Authenticate with `Authorization: Bearer <access token>`, or, where headers cannot be sent (EventSource), with ' +
      '`?token=` from POST /api/notifications/stream-tokens. Each new notification arrives as `event: notification` with ' +
      '`id:` its id and `data:` the notification as JSON (as in the list). A `: heartbeat` comment comes every 15 s. ' +
      'On reconnect, `Last-Event-ID` replays what came after that notification. The stream ends when the service ' +
      'shuts down; clients reconnect (to another replica).',
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'the id of the last notification received; what came after it is sent first',
  })
  @ApiOkResponse({
    description: 'An endless text/event-stream',
    content: {
      'text/event-stream': {
        schema: { type: 'string' },
        example:
          'retry: 3000\n\n: connected\n\nid: m7pd0a68-3f1c2b7e-8a5d-4c8e-9a51-2b1f0c6d7e8f\nevent: notification\n' +
          'data: {"id":"m7pd0a68-3f1c2b7e-8a5d-4c8e-9a51-2b1f0c6d7e8f","type":"order.confirmed","title":"Order confirmed",...,"read":false}\n\n: heartbeat\n\n',
      },
    },
  })
  @ApiBadRequestResponse(problem('Unknown query parameters'))
  @ApiUnauthorizedResponse(problem('No valid bearer token, and no valid, unused stream token'))
  async stream(@Query() q: StreamQuery, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const userId = await this.auth.userIdOf(req.headers.authorization, q.token, reply);
    const lastEventId = req.headers['last-event-id'];

    // from here on the response is ours, not fastify's
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    const stream = new SseStream(res, { heartbeatMs: this.config.getOrThrow<NotificationsConfig>('notifications').heartbeatMs });
    const untrack = this.streams.track(stream, userId);
    let unlisten: (() => void) | undefined;
    const cleanUp = () => {
      stream.close();
      untrack();
      unlisten?.();
    };
    res.on('close', cleanUp);
    // a client gone before the listener was attached has already had its 'close'
    if (res.destroyed) cleanUp();

    // until the missed ones are out, new ones wait: the client gets them in order and once
    let waiting: NotificationView[] | undefined = [];
    try {
      unlisten = await this.streams.listen(userId, (n) => (waiting ? waiting.push(n) : stream.send(frameOf(n))));
    } catch (e) {
      this.log.warn({ err: (e as Error).message }, 'could not subscribe a stream; closing it, the client reconnects');
      cleanUp();
      return;
    }
    if (stream.closed) {
      cleanUp();
      return;
    }
    stream.start();
    const missed =
      typeof lastEventId === 'string' && lastEventId.length <= MAX_LAST_EVENT_ID
        ? await this.notifications.since(userId, lastEventId).catch((e: Error) => {
            this.log.warn({ err: e.message }, 'could not replay missed notifications');
            return [];
          })
        : [];
    const replayed = new Set(missed.map((n) => n.id));
    for (const n of missed) stream.send(frameOf(n));
    for (const n of waiting) if (!replayed.has(n.id)) stream.send(frameOf(n));
    waiting = undefined;
  }
}
