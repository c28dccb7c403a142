import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { Admin } from 'kafkajs';
import { DEFAULT_CHECK_TIMEOUT_MS, probe } from '@ecom/health';

/**
 * pass an admin built with retry { retries: 0 } and short connection/request timeouts:
 * kafkajs reconnects on the next call, so the check recovers once the broker is back.
 */
@Injectable()
export class KafkaHealthIndicator {
  constructor(private readonly health: HealthIndicatorService) {}

  isHealthy(key: string, admin: Pick<Admin, 'describeCluster'>, timeoutMs = DEFAULT_CHECK_TIMEOUT_MS) {
    return probe(this.health.check(key), timeoutMs, async () => {
      const { brokers } = await admin.describeCluster();
      return { brokers: brokers.length };
    });
  }
}
