import { Global, Module } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Test } from '@nestjs/testing';
import type { FastifyRequest } from 'fastify';
import { HealthModule } from './health.module';
import { HealthRegistry } from './health.registry';
import { HealthDetailsAccess, ReadinessCheck } from './readiness';
import { ShutdownState } from './shutdown.state';

/** lets in whoever sends x-operator: yes (the real one checks an admin bearer token) */
class OperatorHeader extends HealthDetailsAccess {
  allows(request: FastifyRequest): boolean {
    return request.headers['x-operator'] === 'yes';
  }
}

@Global()
@Module({ providers: [{ provide: HealthDetailsAccess, useClass: OperatorHeader }], exports: [HealthDetailsAccess] })
class OperatorAccessModule {}

describe('HealthController', () => {
  let app: NestFastifyApplication;
  let registry: HealthRegistry;
  const indicators = new HealthIndicatorService();
  const get = (url: string) => app.inject({ method: 'GET', url });
  /** what the management listener shows: every check, with what it reports */
  const details = () => app.get(ReadinessCheck).run();

  /** a fresh app around HealthModule, or HealthModule.forRoot({ gates }); access: a HealthDetailsAccess is provided */
  const boot = async (gates?: string[], access = false) => {
    const health = gates ? HealthModule.forRoot({ gates }) : HealthModule;
    const moduleRef = await Test.createTestingModule({ imports: [health, ...(access ? [OperatorAccessModule] : [])] }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    registry = app.get(HealthRegistry);
  };

  beforeEach(() => boot());
  afterEach(() => app.close());

  it('answers live with ok and no caching', async () => {
    const res = await get('/health/live');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
    expect(res.headers['cache-control']).toContain('no-store');
  });

  it('is ready with no dependencies registered, and says no more than that, uncached', async () => {
    const res = await get('/health/ready');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
    expect(res.headers['cache-control']).toContain('no-store');
  });

  it('names every dependency and its status when all are up, to the management side only', async () => {
    registry.register(() => indicators.check('mongo').up({ version: '7.0.14' }));
    registry.register(() => indicators.check('kafka').up({ brokers: 1 }));
    const res = await get('/health/ready');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
    expect(res.body).not.toContain('7.0.14');
    expect((await details()).result.details).toEqual({ mongo: { status: 'up', version: '7.0.14' }, kafka: { status: 'up', brokers: 1 } });
  });

  it('is 503 when one is down, saying only error in public and why to the management side; live stays 200', async () => {
    registry.register(() => indicators.check('mongo').up());
    registry.register(() => indicators.check('kafka').down({ message: 'no answer within 2000 ms' }));
    const res = await get('/health/ready');
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'error' });
    const { ready, result } = await details();
    expect(ready).toBe(false);
    expect(result).toEqual({
      status: 'error',
      info: { mongo: { status: 'up' } },
      error: { kafka: { status: 'down', message: 'no answer within 2000 ms' } },
      details: { mongo: { status: 'up' }, kafka: { status: 'down', message: 'no answer within 2000 ms' } },
    });
    expect((await get('/health/live')).statusCode).toBe(200);
  });

  it('shows the details on the public port to whoever a HealthDetailsAccess lets in, and no one else', async () => {
    await app.close();
    await boot(undefined, true);
    registry.register(() => indicators.check('mongo').up({ version: '7.0.14' }));
    const operator = await app.inject({ method: 'GET', url: '/health/ready', headers: { 'x-operator': 'yes' } });
    expect(operator.statusCode).toBe(200);
    expect(operator.json()).toMatchObject({ status: 'ok', details: { mongo: { status: 'up', version: '7.0.14' } } });
    const anonymous = await get('/health/ready');
    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.json()).toEqual({ status: 'ok' });
  });

  it('stays 200 when only a check that is not a gate is down, and reports it', async () => {
    await app.close();
    await boot(['mongo']);
    registry.register(() => indicators.check('mongo').up());
    registry.register(() => indicators.check('elasticsearch').down({ message: 'refused' }));
    const res = await get('/health/ready');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
    expect((await details()).result).toMatchObject({ status: 'ok', error: { elasticsearch: { status: 'down', message: 'refused' } } });
    expect(registry.gates('mongo')).toBe(true);
    expect(registry.gates('elasticsearch')).toBe(false);
  });

  it('is 503 when a gate is down', async () => {
    await app.close();
    await boot(['mongo']);
    registry.register(() => indicators.check('mongo').down({ message: 'refused' }));
    registry.register(() => indicators.check('elasticsearch').up());
    expect((await get('/health/ready')).statusCode).toBe(503);
  });

  it('is 503 shutting_down at once after shutdown begins, without running checks', async () => {
    const check = jest.fn(() => indicators.check('mongo').up());
    registry.register(check);
    app.get(ShutdownState).begin();
    const res = await get('/health/ready');
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'shutting_down' });
    expect(await details()).toMatchObject({ ready: false, result: { status: 'shutting_down' } });
    expect(check).not.toHaveBeenCalled();
    expect((await get('/health/live')).statusCode).toBe(200);
  });
});
