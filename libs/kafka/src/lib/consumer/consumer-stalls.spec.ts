import { HealthIndicatorService } from '@nestjs/terminus';
import { HealthRegistry } from '@ecom/health';
import { ConsumerStalls } from './consumer-stalls';

describe('ConsumerStalls', () => {
  const setup = () => {
    const registry = new HealthRegistry();
    const stalls = new ConsumerStalls(registry, new HealthIndicatorService());
    stalls.onModuleInit();
    const [check] = registry.all();
    return { registry, stalls, check };
  };

  it('shows nothing for a service that consumes nothing', async () => {
    const { check } = setup();
    await expect(check()).resolves.toEqual({});
  });

  it('reports each waiting partition with its error, then up once it flows again', async () => {
    const { stalls, check, registry } = setup();
    stalls.activate();
    await expect(check()).resolves.toEqual({ consumer: { status: 'up', stalled: [] } });
    stalls.update('analytics.x', 2, 'All host(s) tried for query failed');
    stalls.update('analytics.x', 2, 'still down');
    const down = await check();
    expect(down['consumer']).toMatchObject({ status: 'down', stalled: [{ topic: 'analytics.x', partition: 2, error: 'still down' }] });
    // a stall is about the service itself: consumers asking whether the stores are healthy ignore it
    await expect(registry.dependenciesHealthy()).resolves.toBe(true);
    stalls.update('analytics.x', 2, null);
    await expect(check()).resolves.toEqual({ consumer: { status: 'up', stalled: [] } });
  });
});
