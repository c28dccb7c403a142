import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { Connection } from 'mongoose';
import { DEFAULT_CHECK_TIMEOUT_MS, DownError, probe } from '@ecom/health';

const CONNECTED = 1; // mongoose ConnectionStates.connected, without loading mongoose at run time

@Injectable()
export class MongoHealthIndicator {
  constructor(private readonly health: HealthIndicatorService) {}

  isHealthy(key: string, connection: Pick<Connection, 'readyState' | 'db'>, timeoutMs = DEFAULT_CHECK_TIMEOUT_MS) {
    return probe(this.health.check(key), timeoutMs, async () => {
      // mongoose buffers commands while disconnected, so a ping would wait instead of failing
      if (connection.readyState !== CONNECTED || connection.db === undefined) {
        throw new DownError('not connected', { readyState: connection.readyState });
      }
      await connection.db.command({ ping: 1 });
    });
  }
}
