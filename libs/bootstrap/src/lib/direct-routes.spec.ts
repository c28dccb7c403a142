import {
  Controller,
  Get,
  Header,
  Injectable,
  Module,
  NotFoundException,
  Param,
  ParseIntPipe,
  Post,
  Query,
  UseFilters,
  UseGuards,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { httpConfig, serviceConfig } from '@ecom/config';
import { DirectRoute, Public } from '@ecom/http';
import { CORRELATION_HEADER, currentCorrelationId, Metrics } from '@ecom/observability';
import { createServiceApp } from './create-service-app';

/** counts what passes nest's router: a direct route must not */
@Injectable()
class RouterCount implements NestInterceptor {
  static seen = 0;
  intercept(_context: ExecutionContext, next: CallHandler) {
    RouterCount.seen += 1;
    return next.handle();
  }
}

async function item(id: string): Promise<string> {
  await Promise.resolve();
  if (id === 'missing') throw new NotFoundException('no such item');
  if (id === 'outage') throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:27017'), { code: 'ECONNREFUSED' });
  return JSON.stringify({ id, correlationId: currentCorrelationId() });
}

@Public()
@Controller('shelf')
class ShelfController {
  @Get(':id')
  @DirectRoute()
  @Header('content-type', 'application/json; charset=utf-8')
  direct(@Param('id') id: string) {
    return item(id);
  }

  @Get(':id/routed')
  @Header('content-type', 'application/json; charset=utf-8')
  routed(@Param('id') id: string) {
    return item(id);
  }
}

const serviceOf = (controller: object) => {
  @Module({ controllers: [controller as never], providers: [{ provide: APP_INTERCEPTOR, useClass: RouterCount }] })
  class ShelfModule {}
  return {
    name: 'shelf-service',
    module: ShelfModule,
    config: [serviceConfig('shelf-service'), httpConfig(3998)],
    openapi: { title: 'Shelf service', description: 'for the direct route spec' },
  } as const;
};

describe('a @DirectRoute()', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createServiceApp(serviceOf(ShelfController), { env: { LOG_LEVEL: 'silent' } });
  });
  afterAll(() => app.close());

  it("is answered past nest's router, with its headers and fastify's hooks, under the request's correlation id", async () => {
    const before = RouterCount.seen;
    const direct = await app.inject({ method: 'GET', url: '/shelf/a1' });
    expect(RouterCount.seen).toBe(before);
    expect(direct.statusCode).toBe(200);
    expect(direct.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(direct.headers['cache-control']).toBe('no-store');
    expect(direct.json()).toEqual({ id: 'a1', correlationId: direct.headers[CORRELATION_HEADER] });

    // the same method through nest answers the same, and is counted
    const routed = await app.inject({ method: 'GET', url: '/shelf/a1/routed', headers: { [CORRELATION_HEADER]: 'corr-1' } });
    expect(RouterCount.seen).toBe(before + 1);
    expect(routed.json()).toEqual({ id: 'a1', correlationId: 'corr-1' });
    expect(routed.headers['content-type']).toBe(direct.headers['content-type']);
  });

  it('answers HEAD as its GET, without a body', async () => {
    const head = await app.inject({ method: 'HEAD', url: '/shelf/a1' });
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
  });

  it('sends its errors through the global filter: 404 and 503 as problem+json', async () => {
    const missing = await app.inject({ method: 'GET', url: '/shelf/missing', headers: { [CORRELATION_HEADER]: 'corr-2' } });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    expect(missing.json()).toMatchObject({ status: 404, detail: 'no such item', instance: '/shelf/missing', correlationId: 'corr-2' });

    const outage = await app.inject({ method: 'GET', url: '/shelf/outage' });
    expect(outage.statusCode).toBe(503);
    expect(outage.headers['retry-after']).toBeDefined();
    expect(outage.headers['content-type']).toContain('application/problem+json');
  });

  it('is timed under its route pattern, as any route', async () => {
    await app.inject({ method: 'GET', url: '/shelf/b2' });
    const text = await app.get(Metrics).registry.getSingleMetricAsString('http_server_request_duration_seconds');
    expect(text).toMatch(
      /http_server_request_duration_seconds_count\{[^}]*http_route="\/shelf\/:id"[^}]*http_response_status_code="200"[^}]*\} [1-9]/,
    );
  });
});

describe('createServiceApp refuses a @DirectRoute()', () => {
  const refused = (controller: object) => createServiceApp(serviceOf(controller), { env: { LOG_LEVEL: 'silent' } });

  it('that is not @Public(): no guard would run', async () => {
    @Controller('private')
    class Private {
      @Get(':id') @DirectRoute() read(@Param('id') id: string) {
        return id;
      }
    }
    await expect(refused(Private)).rejects.toThrow(
      '@DirectRoute() on Private.read: the route must be @Public(): no guard runs on a direct route',
    );
  });

  it('with a guard of its own', async () => {
    @Public()
    @Controller('guarded')
    class Guarded {
      @Get(':id') @DirectRoute() @UseGuards({ canActivate: () => true }) read(@Param('id') id: string) {
        return id;
      }
    }
    await expect(refused(Guarded)).rejects.toThrow('@DirectRoute() on Guarded.read: its guards would not run');
  });

  it('that takes anything but string path parameters', async () => {
    @Public()
    @Controller('queried')
    class Queried {
      @Get(':id') @DirectRoute() read(@Param('id') id: string, @Query('q') q: string) {
        return id + q;
      }
    }
    await expect(refused(Queried)).rejects.toThrow(
      "@DirectRoute() on Queried.read: parameter 1 must be a named path parameter (@Param('name'))",
    );

    @Public()
    @Controller('parsed')
    class Parsed {
      @Get(':id') @DirectRoute() read(@Param('id', ParseIntPipe) id: number) {
        return id;
      }
    }
    await expect(refused(Parsed)).rejects.toThrow('@DirectRoute() on Parsed.read: the pipes of parameter id would not run');
  });

  it('on several paths, or with an exception filter of its own', async () => {
    @Public()
    @Controller('paths')
    class Paths {
      @Get([':id', 'also/:id']) @DirectRoute() read(@Param('id') id: string) {
        return id;
      }
    }
    await expect(refused(Paths)).rejects.toThrow('@DirectRoute() on Paths.read: a route on several paths cannot be direct');

    @Public()
    @Controller('filtered')
    @UseFilters({ catch: () => undefined })
    class Filtered {
      @Get(':id') @DirectRoute() read(@Param('id') id: string) {
        return id;
      }
    }
    await expect(refused(Filtered)).rejects.toThrow('@DirectRoute() on Filtered.read: its exception filters would not run');
  });

  it('that is not a GET', async () => {
    @Public()
    @Controller('written')
    class Written {
      @Post(':id') @DirectRoute() write(@Param('id') id: string) {
        return id;
      }
    }
    await expect(refused(Written)).rejects.toThrow('@DirectRoute() on Written.write: only a GET can be direct');
  });
});
