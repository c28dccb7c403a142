import { HealthIndicatorService } from '@nestjs/terminus';
import { MongoHealthIndicator } from './mongo.health';
import { TIMEOUT_MS, never } from '@ecom/testing';

const db = (command: () => Promise<unknown>) => ({ command }) as never;

describe('MongoHealthIndicator', () => {
  const indicator = new MongoHealthIndicator(new HealthIndicatorService());

  it('is up when the ping answers', async () => {
    const command = jest.fn().mockResolvedValue({ ok: 1 });
    await expect(indicator.isHealthy('mongo', db(command))).resolves.toEqual({ mongo: { status: 'up' } });
    expect(command).toHaveBeenCalledWith({ ping: 1 });
  });

  it('is down when the ping fails', async () => {
    await expect(indicator.isHealthy('mongo', db(() => Promise.reject(new Error('connection refused'))))).resolves.toEqual({
      mongo: { status: 'down', message: 'connection refused' },
    });
  });

  it('is down when the ping waits past the timeout, as it does while the driver looks for a server', async () => {
    await expect(indicator.isHealthy('mongo', db(never), TIMEOUT_MS)).resolves.toMatchObject({
      mongo: { status: 'down', message: `no answer within ${TIMEOUT_MS} ms` },
    });
  });
});
