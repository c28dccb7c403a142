import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { DataSource } from 'typeorm';
import { DEFAULT_CHECK_TIMEOUT_MS, DownError, probe } from '@ecom/health';

@Injectable()
export class PostgresHealthIndicator {
  constructor(private readonly health: HealthIndicatorService) {}

  isHealthy(key: string, dataSource: Pick<DataSource, 'isInitialized' | 'query'>, timeoutMs = DEFAULT_CHECK_TIMEOUT_MS) {
    return probe(this.health.check(key), timeoutMs, async () => {
      if (!dataSource.isInitialized) throw new DownError('data source is not initialized');
      await dataSource.query('select 1');
    });
  }
}
