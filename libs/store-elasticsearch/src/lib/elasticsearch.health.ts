import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { Client } from '@elastic/elasticsearch';
import { DEFAULT_CHECK_TIMEOUT_MS, DownError, probe } from '@ecom/health';

// yellow means replicas are missing, which a single-node cluster always is; reads and writes still work
const SERVING = new Set(['green', 'yellow']);

@Injectable()
export class ElasticsearchHealthIndicator {
  constructor(private readonly health: HealthIndicatorService) {}

  isHealthy(key: string, client: Pick<Client, 'cluster'>, timeoutMs = DEFAULT_CHECK_TIMEOUT_MS) {
    return probe(this.health.check(key), timeoutMs, async () => {
      // no client-side retries: the probe should fail within its own timeout
      const health = await client.cluster.health({}, { requestTimeout: timeoutMs, maxRetries: 0 });
      const clusterStatus = health.status.toLowerCase();
      if (!SERVING.has(clusterStatus)) throw new DownError(`cluster status is ${clusterStatus}`, { clusterStatus });
      return { clusterStatus };
    });
  }
}
