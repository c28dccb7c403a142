import { Controller, Get, Injectable, Module, Post, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { ThrottlerStorageService, type ThrottlerStorage } from '@nestjs/throttler';
import type { RateLimitsConfig } from '@ecom/config';
import { ProblemDetailsFilter } from '../problem.filter';
import { FailOpenStorage } from './fail-open.storage';
import { RateLimit } from './rate-limit.decorator';
import { RateLimitsModule } from './rate-limits.module';

// the guard and the module on @nestjs/throttler's own in-memory counts (the services count in redis
// or postgres; their integration tests prove the counts are shared by replicas)

const limits: RateLimitsConfig = {
  register: { limit: 2, windowMs: 60_000 },
  search: { limit: 3, windowMs: 60_000 },
  write: { limit: 2, windowMs: 60_000 },
};

/** what JwtAuthGuard does: the token's user on the request, here from a header */
@Injectable()
class FakeAuth implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<{ headers: Record<string, string>; user?: { id: string } }>();
    if (req.headers['x-user']) req.user = { id: req.headers['x-user'] };
    return true;
  }
}

@Controller()
class RoutesController {
  @RateLimit('search')
  @Get('search')
  search(): string {
    return 'found';
  }

  @RateLimit('write')
  @Post('orders')
  order(): string {
    return 'placed';
  }

  @RateLimit('write')
  @Post('cancels')
  cancel(): string {
    return 'cancelled';
  }

  @Get('free')
  free(): string {
    return 'free';
  }
}

@Injectable()
class MemoryCounts extends ThrottlerStorageService {}

@Module({
  imports: [ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => ({ rateLimits: limits })] }), RateLimitsModule.forRoot(MemoryCounts)],
  controllers: [RoutesController],
  providers: [{ provide: APP_GUARD, useClass: FakeAuth }],
})
class AppModule {}

describe('@RateLimit', () => {
  let app: NestFastifyApplication;
  let address = 0;
  const newAddress = () => `10.0.0.${++address}`;
  const call = (method: 'GET' | 'POST', url: string, remoteAddress: string, user?: string) =>
    app.inject({ method, url, remoteAddress, headers: user ? { 'x-user': user } : {} });

  beforeAll(async () => {
    app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter(), { logger: false });
    app.useGlobalFilters(new ProblemDetailsFilter());
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(() => app.close());

  it('answers 429 problem+json with Retry-After once an address has used its limit, and counts per address', async () => {
    const ip = newAddress();
    for (let i = 0; i < 3; i++) expect((await call('GET', '/search', ip)).statusCode).toBe(200);
    const refused = await call('GET', '/search', ip);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(59);
    expect(refused.json()).toMatchObject({ status: 429, title: 'Too Many Requests', detail: expect.stringMatching(/try again in \d+ s/) });
    expect((await call('GET', '/search', newAddress())).statusCode).toBe(200);
  });

  it('counts a signed-in user, not the address, and shares one budget between the routes of a name', async () => {
    const ip = newAddress();
    expect((await call('POST', '/orders', ip, 'ann')).statusCode).toBe(201);
    expect((await call('POST', '/cancels', ip, 'ann')).statusCode).toBe(201);
    expect((await call('POST', '/orders', ip, 'ann')).statusCode).toBe(429);
    expect((await call('POST', '/cancels', newAddress(), 'ann')).statusCode).toBe(429);
    // another shopper behind the same address has a budget of their own
    expect((await call('POST', '/orders', ip, 'bob')).statusCode).toBe(201);
  });

  it('keeps the names apart, and leaves routes without @RateLimit alone', async () => {
    const ip = newAddress();
    for (let i = 0; i < 3; i++) await call('GET', '/search', ip);
    expect((await call('GET', '/search', ip)).statusCode).toBe(429);
    expect((await call('POST', '/orders', ip)).statusCode).toBe(201);
    for (let i = 0; i < 10; i++) expect((await call('GET', '/free', ip)).statusCode).toBe(200);
  });
});

describe('FailOpenStorage', () => {
  it('lets a request through while its counts cannot be reached, and counts again once they can', async () => {
    let down = true;
    const counts: ThrottlerStorage = {
      increment: async () => {
        if (down) throw new Error('connection refused');
        return { totalHits: 5, timeToExpire: 60, isBlocked: true, timeToBlockExpire: 60 };
      },
    };
    const storage = new FailOpenStorage(counts);
    expect(await storage.increment('k', 60_000, 1, 60_000, 'write')).toEqual({ totalHits: 0, timeToExpire: 0, isBlocked: false, timeToBlockExpire: 0 });
    down = false;
    expect(await storage.increment('k', 60_000, 1, 60_000, 'write')).toMatchObject({ isBlocked: true, timeToBlockExpire: 60 });
  });
});
