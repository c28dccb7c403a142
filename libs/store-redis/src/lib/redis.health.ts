import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { Redis } from 'ioredis';
import { DEFAULT_CHECK_TIMEOUT_MS, DownError, probe } from '@ecom/health';

@Injectable()
export class RedisHealthIndicator {
  constructor(private readonly health: HealthIndicatorService) {}

  isHealthy(key: string, client: Pick<Redis, 'status' | 'ping'>, timeoutMs = DEFAULT_CHECK_TIMEOUT_MS) {
    return probe(this.health.check(key), timeoutMs, async () => {
      // ioredis queues commands while reconnecting; report the state instead of waiting
      if (client.status !== 'ready') throw new DownError(`connection is ${client.status}`, { connection: client.status });
      await client.ping();
    });
  }
}
