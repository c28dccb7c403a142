import { HealthIndicatorService } from '@nestjs/terminus';
import { HealthRegistry } from './health.registry';

const indicators = new HealthIndicatorService();

describe('HealthRegistry', () => {
  it('starts empty and lists checks in registration order', async () => {
    const registry = new HealthRegistry();
    expect(registry.all()).toEqual([]);
    registry.register(() => indicators.check('mongo').up());
    registry.register(async () => indicators.check('kafka').down({ message: 'refused' }));
    const results = await Promise.all(registry.all().map((check) => check()));
    expect(results).toEqual([{ mongo: { status: 'up' } }, { kafka: { status: 'down', message: 'refused' } }]);
  });

  it('hands out a copy, so callers cannot change the registered set', () => {
    const registry = new HealthRegistry();
    registry.all().push(() => indicators.check('x').up());
    expect(registry.all()).toHaveLength(0);
  });

  it('turns a check that throws into that one check being down', async () => {
    const registry = new HealthRegistry();
    registry.register(() => indicators.check('ok').up());
    registry.register(() => {
      throw new Error('client not created');
    });
    const [, broken] = registry.all();
    await expect(broken()).resolves.toEqual({ 'check-2': { status: 'down', message: 'client not created' } });
  });

  it('says whether every dependency is up, ignoring checks about the service itself', async () => {
    const registry = new HealthRegistry();
    let mongo = true;
    registry.register(() => (mongo ? indicators.check('mongo').up() : indicators.check('mongo').down()));
    registry.register(() => indicators.check('consumer').down({ stalled: 1 }), { dependency: false });
    await expect(registry.dependenciesHealthy()).resolves.toBe(true);
    mongo = false;
    await expect(registry.dependenciesHealthy()).resolves.toBe(false);
  });
});
