import { Injectable } from '@nestjs/common';
import { ThrottlerGuard, normalizeIp, type ThrottlerLimitDetail, type ThrottlerRequest } from '@nestjs/throttler';
import type { ExecutionContext } from '@nestjs/common';
import type { RateLimitName } from '@ecom/config';
import { RateLimited } from './rate-limited';

export const RATE_LIMIT_NAME = 'ecom:rate-limit';

/**
 * @nestjs/throttler's guard, counting one limit per route (the name @RateLimit gives it) for one
 * client: the signed-in user when the route has one (so shoppers behind one address do not share a
 * budget), else the client address (behind the trusted proxies, never one a client writes). every
 * route of a name shares the client's budget, e.g. all writes. refuses with a problem+json 429 and
 * Retry-After.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async handleRequest(props: ThrottlerRequest): Promise<boolean> {
    const name = this.reflector.getAllAndOverride<RateLimitName | undefined>(RATE_LIMIT_NAME, [
      props.context.getHandler(),
      props.context.getClass(),
    ]);
    return props.throttler.name === name ? super.handleRequest(props) : true;
  }

  protected override async getTracker(req: Record<string, any>): Promise<string> {
    const user = (req as { user?: { id?: unknown } }).user;
    return typeof user?.id === 'string' ? `user:${user.id}` : `address:${normalizeIp(String(req['ip']))}`;
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return `rate:${name}:${tracker}`;
  }

  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw new RateLimited(Math.max(1, detail.timeToBlockExpire));
  }
}
