import { HealthIndicatorService } from '@nestjs/terminus';
import type { DataSource } from 'typeorm';
import { PostgresHealthIndicator } from './postgres.health';
import { TIMEOUT_MS, never } from '@ecom/testing';

const dataSource = (isInitialized: boolean, query: () => Promise<unknown>) =>
  ({ isInitialized, query }) as unknown as Pick<DataSource, 'isInitialized' | 'query'>;

describe('PostgresHealthIndicator', () => {
  const indicator = new PostgresHealthIndicator(new HealthIndicatorService());

  it('is up when select 1 answers', async () => {
    const query = jest.fn().mockResolvedValue([{ '?column?': 1 }]);
    await expect(indicator.isHealthy('postgres', dataSource(true, query))).resolves.toEqual({ postgres: { status: 'up' } });
    expect(query).toHaveBeenCalledWith('select 1');
  });

  it('is down when the data source never initialized', async () => {
    await expect(indicator.isHealthy('postgres', dataSource(false, jest.fn()))).resolves.toEqual({
      postgres: { status: 'down', message: 'data source is not initialized' },
    });
  });

  it('is down when the query fails or hangs', async () => {
    const refused = () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
    await expect(indicator.isHealthy('postgres', dataSource(true, refused))).resolves.toMatchObject({
      postgres: { status: 'down', message: 'connect ECONNREFUSED 127.0.0.1:5432' },
    });
    await expect(indicator.isHealthy('postgres', dataSource(true, never), TIMEOUT_MS)).resolves.toMatchObject({
      postgres: { status: 'down', message: `no answer within ${TIMEOUT_MS} ms` },
    });
  });
});
