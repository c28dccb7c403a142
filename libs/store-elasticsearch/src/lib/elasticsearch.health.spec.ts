import { HealthIndicatorService } from '@nestjs/terminus';
import type { Client } from '@elastic/elasticsearch';
import { ElasticsearchHealthIndicator } from './elasticsearch.health';
import { TIMEOUT_MS, never } from '@ecom/testing';

const client = (health: (...args: unknown[]) => Promise<unknown>) => ({ cluster: { health } }) as unknown as Pick<Client, 'cluster'>;
const answering = (status: string) => client(async () => ({ cluster_name: 'es', status }));

describe('ElasticsearchHealthIndicator', () => {
  const indicator = new ElasticsearchHealthIndicator(new HealthIndicatorService());

  it.each(['green', 'yellow'])('is up and reports a %s cluster', async (status) => {
    await expect(indicator.isHealthy('elasticsearch', answering(status))).resolves.toEqual({
      elasticsearch: { status: 'up', clusterStatus: status },
    });
  });

  it('is down and reports a red cluster', async () => {
    await expect(indicator.isHealthy('elasticsearch', answering('red'))).resolves.toEqual({
      elasticsearch: { status: 'down', message: 'cluster status is red', clusterStatus: 'red' },
    });
  });

  it('asks without client retries, bounded by the timeout', async () => {
    const health = jest.fn().mockResolvedValue({ status: 'green' });
    await indicator.isHealthy('elasticsearch', client(health), 500);
    expect(health).toHaveBeenCalledWith({}, { requestTimeout: 500, maxRetries: 0 });
  });

  it('is down when the request fails or hangs', async () => {
    await expect(
      indicator.isHealthy(
        'elasticsearch',
        client(() => Promise.reject(new Error('ConnectionError'))),
      ),
    ).resolves.toMatchObject({
      elasticsearch: { status: 'down', message: 'ConnectionError' },
    });
    await expect(indicator.isHealthy('elasticsearch', client(never), TIMEOUT_MS)).resolves.toMatchObject({
      elasticsearch: { status: 'down' },
    });
  });
});
