import { HealthIndicatorService } from '@nestjs/terminus';
import type { Client } from 'cassandra-driver';
import { CassandraHealthIndicator } from './cassandra.health';
import { TIMEOUT_MS, never } from '@ecom/testing';

const client = (execute: (...args: unknown[]) => Promise<unknown>) => ({ execute }) as unknown as Pick<Client, 'execute'>;
const resultSet = { first: () => ({ get: (column: string) => (column === 'release_version' ? '4.1.5' : undefined) }) };

describe('CassandraHealthIndicator', () => {
  const indicator = new CassandraHealthIndicator(new HealthIndicatorService());

  it('is up with the release version from system.local', async () => {
    const execute = jest.fn().mockResolvedValue(resultSet);
    await expect(indicator.isHealthy('cassandra', client(execute))).resolves.toEqual({
      cassandra: { status: 'up', releaseVersion: '4.1.5' },
    });
    expect(execute).toHaveBeenCalledWith('select release_version from system.local', [], { readTimeout: 2000 });
  });

  it('is down when no host answers or the query hangs', async () => {
    const noHost = () => Promise.reject(new Error('All host(s) tried for query failed'));
    await expect(indicator.isHealthy('cassandra', client(noHost))).resolves.toMatchObject({
      cassandra: { status: 'down', message: 'All host(s) tried for query failed' },
    });
    await expect(indicator.isHealthy('cassandra', client(never), TIMEOUT_MS)).resolves.toMatchObject({ cassandra: { status: 'down' } });
  });
});
