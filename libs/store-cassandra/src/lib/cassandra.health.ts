import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { Client } from 'cassandra-driver';
import { DEFAULT_CHECK_TIMEOUT_MS, probe } from '@ecom/health';

const QUERY = 'select release_version from system.local';

@Injectable()
export class CassandraHealthIndicator {
  constructor(private readonly health: HealthIndicatorService) {}

  isHealthy(key: string, client: Pick<Client, 'execute'>, timeoutMs = DEFAULT_CHECK_TIMEOUT_MS) {
    return probe(this.health.check(key), timeoutMs, async () => {
      const result = await client.execute(QUERY, [], { readTimeout: timeoutMs });
      return { releaseVersion: result.first()?.get('release_version') as unknown };
    });
  }
}
