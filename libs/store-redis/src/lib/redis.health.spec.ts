import { HealthIndicatorService } from '@nestjs/terminus';
import type { Redis } from 'ioredis';
import { RedisHealthIndicator } from './redis.health';
import { TIMEOUT_MS, never } from '@ecom/testing';

const client = (status: string, ping: () => Promise<unknown>) => ({ status, ping }) as unknown as Pick<Redis, 'status' | 'ping'>;

describe('RedisHealthIndicator', () => {
  const indicator = new RedisHealthIndicator(new HealthIndicatorService());

  it('is up when ready and PING answers', async () => {
    await expect(
      indicator.isHealthy(
        'redis',
        client('ready', async () => 'PONG'),
      ),
    ).resolves.toEqual({ redis: { status: 'up' } });
  });

  it('is down at once while reconnecting, instead of queueing the PING', async () => {
    const ping = jest.fn();
    await expect(indicator.isHealthy('redis', client('reconnecting', ping))).resolves.toEqual({
      redis: { status: 'down', message: 'connection is reconnecting', connection: 'reconnecting' },
    });
    expect(ping).not.toHaveBeenCalled();
  });

  it('is down when PING fails or hangs', async () => {
    await expect(
      indicator.isHealthy(
        'redis',
        client('ready', () => Promise.reject(new Error('LOADING'))),
      ),
    ).resolves.toMatchObject({
      redis: { status: 'down', message: 'LOADING' },
    });
    await expect(indicator.isHealthy('redis', client('ready', never), TIMEOUT_MS)).resolves.toMatchObject({ redis: { status: 'down' } });
  });
});
