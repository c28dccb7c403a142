import { Body, Controller, Get, Logger as NestLogger, Module, Post } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import Fastify from 'fastify';
import { Logger, PinoLogger } from 'nestjs-pino';
import { currentCorrelationId, runWithCorrelation } from './correlation';
import { correlateRequests } from './correlation.hook';
import { instrumentHttp } from './metrics/http-metrics.hook';
import { logRequests } from './request-log.hook';
import { Metrics } from './metrics/metrics';
import { serveMetrics } from './metrics/metrics.route';
import { requestLogLevel } from './logger.params';
import { ObservabilityModule } from './observability.module';

type Line = Record<string, unknown> & { msg?: string };

@Controller()
class ProbeController {
  private readonly log = new NestLogger(ProbeController.name);

  @Get('things')
  list() {
    this.log.log('listing things');
    return { correlationId: currentCorrelationId() };
  }

  // a body forces fastify through its parser; the context must survive that
  @Post('things')
  async create(@Body() body: unknown) {
    await new Promise((r) => setTimeout(r, 5));
    this.log.log('created a thing');
    return { correlationId: currentCorrelationId(), body };
  }

  @Get('health/live')
  live() {
    return { status: 'ok' };
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

describe('ObservabilityModule', () => {
  const lines: Line[] = [];
  const raw: string[] = [];
  const destination = {
    write: (s: string) => {
      raw.push(s);
      lines.push(JSON.parse(s) as Line);
    },
  };
  // debug: successful reads log their completion line at debug (requestLogLevel), and these tests read it
  const service = { name: 'probe-service', env: 'test', logLevel: 'debug', shutdownTimeoutMs: 1000 } as const;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ObservabilityModule.forRoot(service, { logDestination: destination }), ProbeModule],
    }).compile();
    const adapter = new FastifyAdapter();
    correlateRequests(adapter.getInstance());
    app = moduleRef.createNestApplication<NestFastifyApplication>(adapter, { bufferLogs: true });
    app.useLogger(app.get(Logger));
    instrumentHttp(app);
    await logRequests(app);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(() => app.close());
  beforeEach(() => {
    lines.splice(0);
    raw.splice(0);
  });

  it('uses the incoming x-correlation-id, echoes it and stamps it on every line of the request', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/things',
      headers: { 'x-correlation-id': 'abc-123', authorization: 'Bearer secret' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-correlation-id']).toBe('abc-123');
    expect(res.json()).toEqual({ correlationId: 'abc-123' });

    const appLine = lines.find((l) => l.msg === 'listing things');
    expect(appLine).toMatchObject({ service: 'probe-service', correlationId: 'abc-123', context: 'ProbeController', level: 'info' });
    const done = lines.find((l) => l.msg === 'request completed') as Line & { req: { headers: Record<string, string> } };
    expect(done).toMatchObject({ correlationId: 'abc-123', res: { statusCode: 200 }, level: 'debug' });
    expect(done.req.headers['authorization']).toBe('[Redacted]');
  });

  it('logs no credential from the query string: not in the url, not in the query', async () => {
    await app.inject({ method: 'GET', url: '/things?page=2&token=s3cret-stream-token&access_token=eyJhbGciOi.x.y' });
    const done = lines.find((l) => l.msg === 'request completed') as Line & { req: { url: string; query: Record<string, string> } };
    expect(done.req.url).toBe('/things?page=2&token=[Redacted]&access_token=[Redacted]');
    expect(done.req.query).toMatchObject({ page: '2', token: '[Redacted]', access_token: '[Redacted]' });
    expect(raw.join('\n')).not.toMatch(/s3cret-stream-token|eyJhbGciOi/);
  });

  it('makes up an id when none is sent, and keeps it through body parsing and awaits', async () => {
    const res = await app.inject({ method: 'POST', url: '/things', payload: { name: 'x' } });
    const id = res.headers['x-correlation-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.json()).toEqual({ correlationId: id, body: { name: 'x' } });
    expect(lines.find((l) => l.msg === 'created a thing')).toMatchObject({ correlationId: id });
  });

  it('writes each correlation id once per line', async () => {
    await app.inject({ method: 'GET', url: '/things', headers: { 'x-correlation-id': 'once' } });
    // count in the raw text: JSON.parse would quietly keep just one of two copies
    expect(raw.length).toBeGreaterThanOrEqual(2);
    for (const line of raw) expect(line.match(/"correlationId"/g)).toHaveLength(1);
  });

  it('does not log health probes', async () => {
    const res = await app.inject({ method: 'GET', url: '/health/live' });
    expect(res.statusCode).toBe(200);
    expect(lines.filter((l) => l.msg === 'request completed')).toEqual([]);
  });

  it('stamps lines logged under runWithCorrelation outside http, as kafka handlers do', async () => {
    const logger = await app.resolve(PinoLogger);
    runWithCorrelation('evt-9', () => logger.info('handled event'));
    logger.info('no context');
    expect(raw.find((l) => l.includes('handled event'))?.match(/"correlationId"/g)).toHaveLength(1);
    expect(lines.find((l) => l.msg === 'handled event')).toMatchObject({ correlationId: 'evt-9', service: 'probe-service' });
    expect(lines.find((l) => l.msg === 'no context')).not.toHaveProperty('correlationId');
  });

  it('serves prometheus metrics with default and http duration series on another listener, not the app', async () => {
    await app.inject({ method: 'GET', url: '/things' });
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
    const management = Fastify();
    serveMetrics(management, app.get(Metrics));
    const res = await management.inject({ method: 'GET', url: '/metrics' });
    await management.close();
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toContain('process_cpu_seconds_total');
    expect(res.body).toMatch(/http_server_request_duration_seconds_count\{[^}]*http_route="\/things"[^}]*\} \d+/);
    expect(res.body).toContain('service="probe-service"');
  });
});

describe('requestLogLevel', () => {
  const req = (method: string) => ({ method }) as never;

  it('keeps successful reads at debug, so the hot path writes no line at the default level', () => {
    expect(requestLogLevel(req('GET'), { statusCode: 200 })).toBe('debug');
    expect(requestLogLevel(req('HEAD'), { statusCode: 304 })).toBe('debug');
  });

  it('logs writes, client errors and failures', () => {
    expect(requestLogLevel(req('POST'), { statusCode: 202 })).toBe('info');
    expect(requestLogLevel(req('DELETE'), { statusCode: 204 })).toBe('info');
    expect(requestLogLevel(req('GET'), { statusCode: 404 })).toBe('info');
    expect(requestLogLevel(req('GET'), { statusCode: 503 })).toBe('error');
    expect(requestLogLevel(req('GET'), { statusCode: 200 }, new Error('x'))).toBe('error');
  });
});
