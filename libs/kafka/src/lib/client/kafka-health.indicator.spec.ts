import { HealthIndicatorService } from '@nestjs/terminus';
import type { Admin } from 'kafkajs';
import { KafkaHealthIndicator } from './kafka-health.indicator';
import { TIMEOUT_MS, never } from '@ecom/testing';

const cluster = { brokers: [{ nodeId: 1, host: 'localhost', port: 9092 }], controller: 1, clusterId: 'c' };

describe('KafkaHealthIndicator', () => {
  const indicator = new KafkaHealthIndicator(new HealthIndicatorService());

  it('is up with the broker count when describeCluster answers', async () => {
    const admin = { describeCluster: jest.fn().mockResolvedValue(cluster) };
    await expect(indicator.isHealthy('kafka', admin)).resolves.toEqual({ kafka: { status: 'up', brokers: 1 } });
  });

  it('is down when the broker is unreachable, and up again on the next call once it is back', async () => {
    const describeCluster = jest
      .fn<ReturnType<Admin['describeCluster']>, []>()
      .mockRejectedValueOnce(new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9092'))
      .mockResolvedValueOnce(cluster);
    const admin = { describeCluster };
    await expect(indicator.isHealthy('kafka', admin)).resolves.toMatchObject({
      kafka: { status: 'down', message: expect.stringContaining('ECONNREFUSED') },
    });
    await expect(indicator.isHealthy('kafka', admin)).resolves.toMatchObject({ kafka: { status: 'up' } });
  });

  it('is down within the timeout when the call hangs', async () => {
    await expect(indicator.isHealthy('kafka', { describeCluster: never }, TIMEOUT_MS)).resolves.toMatchObject({
      kafka: { status: 'down' },
    });
  });
});
