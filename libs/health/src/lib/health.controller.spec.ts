import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Test } from '@nestjs/testing';
import { HealthModule } from './health.module';
import { HealthRegistry } from './health.registry';
import { ShutdownState } from './shutdown.state';

describe('HealthController', () => {
  let app: NestFastifyApplication;
  let registry: HealthRegistry;
  const indicators = new HealthIndicatorService();
  const get = (url: string) => app.inject({ method: 'GET', url });

  /** a fresh app around HealthModule, or HealthModule.forRoot({ gates }) */
  const boot = async (gates?: string[]) => {
    const health = gates ? HealthModule.forRoot({ gates }) : HealthModule;
    const moduleRef = await Test.createTestingModule({ imports: [health] }).compile();
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

  it('is ready with no dependencies registered', async () => {
    const res = await get('/health/ready');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', details: {} });
  });

  it('names every dependency and its status when all are up', async () => {
    registry.register(() => indicators.check('mongo').up());
    registry.register(() => indicators.check('kafka').up({ brokers: 1 }));
    const res = await get('/health/ready');
    expect(res.statusCode).toBe(200);
    expect(res.json().details).toEqual({ mongo: { status: 'up' }, kafka: { status: 'up', brokers: 1 } });
  });

  it('is 503 with the same shape when one is down, and live stays 200', async () => {
    registry.register(() => indicators.check('mongo').up());
    registry.register(() => indicators.check('kafka').down({ message: 'no answer within 2000 ms' }));
    const res = await get('/health/ready');
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({
      status: 'error',
      info: { mongo: { status: 'up' } },
      error: { kafka: { status: 'down', message: 'no answer within 2000 ms' } },
      details: { mongo: { status: 'up' }, kafka: { status: 'down', message: 'no answer within 2000 ms' } },
    });
    expect((await get('/health/live')).statusCode).toBe(200);
  });

  it('stays 200 when only a check that is not a gate is down, and reports it', async () => {
    await app.close();
    await boot(['mongo']);
    registry.register(() => indicators.check('mongo').up());
    registry.register(() => indicators.check('elasticsearch').down({ message: 'refused' }));
    const res = await get('/health/ready');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', error: { elasticsearch: { status: 'down', message: 'refused' } } });
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
    expect(res.json()).toMatchObject({ status: 'shutting_down' });
    expect(check).not.toHaveBeenCalled();
    expect((await get('/health/live')).statusCode).toBe(200);
  });
});
