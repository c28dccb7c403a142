import { HealthIndicatorService } from '@nestjs/terminus';
import type { Connection } from 'mongoose';
import { MongoHealthIndicator } from './mongo.health';
import { TIMEOUT_MS, never } from '@ecom/testing';

const connection = (readyState: number, command: () => Promise<unknown>) =>
  ({ readyState, db: { command } }) as unknown as Pick<Connection, 'readyState' | 'db'>;

describe('MongoHealthIndicator', () => {
  const indicator = new MongoHealthIndicator(new HealthIndicatorService());

  it('is up when connected and the ping answers', async () => {
    const command = jest.fn().mockResolvedValue({ ok: 1 });
    await expect(indicator.isHealthy('mongo', connection(1, command))).resolves.toEqual({ mongo: { status: 'up' } });
    expect(command).toHaveBeenCalledWith({ ping: 1 });
  });

  it('is down without pinging when not connected', async () => {
    const command = jest.fn();
    await expect(indicator.isHealthy('mongo', connection(0, command))).resolves.toEqual({
      mongo: { status: 'down', message: 'not connected', readyState: 0 },
    });
    expect(command).not.toHaveBeenCalled();
  });

  it('is down when the ping fails or hangs', async () => {
    await expect(
      indicator.isHealthy(
        'mongo',
        connection(1, () => Promise.reject(new Error('boom'))),
      ),
    ).resolves.toMatchObject({
      mongo: { status: 'down', message: 'boom' },
    });
    await expect(indicator.isHealthy('mongo', connection(1, never), TIMEOUT_MS)).resolves.toMatchObject({ mongo: { status: 'down' } });
  });
});
