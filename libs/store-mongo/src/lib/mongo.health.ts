import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { Db } from 'mongodb';
import { DEFAULT_CHECK_TIMEOUT_MS, probe } from '@ecom/health';

@Injectable()
export class MongoHealthIndicator {
  constructor(private readonly health: HealthIndicatorService) {}

  /** a ping within the timeout; while the server is away the driver waits to select it, and the timeout reports it down */
  isHealthy(key: string, db: Pick<Db, 'command'>, timeoutMs = DEFAULT_CHECK_TIMEOUT_MS) {
    return probe(this.health.check(key), timeoutMs, async () => {
      await db.command({ ping: 1 });
    });
  }
}
