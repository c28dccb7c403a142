import { HealthIndicatorService } from '@nestjs/terminus';
import { DownError, probe, withTimeout } from './probe';

const session = () => new HealthIndicatorService().check('dep');

describe('probe', () => {
  it('is up with the details the check returns', async () => {
    await expect(probe(session(), 50, async () => ({ version: '1' }))).resolves.toEqual({ dep: { status: 'up', version: '1' } });
    await expect(probe(session(), 50, async () => undefined)).resolves.toEqual({ dep: { status: 'up' } });
  });

  it('is down with the message when the check rejects or throws synchronously', async () => {
    await expect(probe(session(), 50, () => Promise.reject(new Error('refused')))).resolves.toEqual({
      dep: { status: 'down', message: 'refused' },
    });
    const throwing = (): Promise<void> => {
      throw new Error('no client');
    };
    await expect(probe(session(), 50, throwing)).resolves.toEqual({ dep: { status: 'down', message: 'no client' } });
  });

  it('carries the details of a DownError', async () => {
    const result = await probe(session(), 50, () => Promise.reject(new DownError('cluster status is red', { clusterStatus: 'red' })));
    expect(result).toEqual({ dep: { status: 'down', message: 'cluster status is red', clusterStatus: 'red' } });
  });

  it('is down, not hanging, when the check never answers', async () => {
    const started = Date.now();
    const result = await probe(session(), 30, () => new Promise(() => undefined));
    expect(result).toEqual({ dep: { status: 'down', message: 'no answer within 30 ms' } });
    expect(Date.now() - started).toBeLessThan(500);
  });
});

describe('withTimeout', () => {
  it('passes the value through and leaves no timer behind', async () => {
    await expect(withTimeout(Promise.resolve(7), 10_000)).resolves.toBe(7);
  });
});
