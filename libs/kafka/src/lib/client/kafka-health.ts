import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Admin, Kafka } from 'kafkajs';
import { HealthRegistry } from '@ecom/health';
import { KafkaHealthIndicator } from './kafka-health.indicator';
import { HEALTH_TIMEOUT_MS } from '../constants';
import { KAFKA_HEALTH_ADMIN } from '../tokens';

/**
 * reports kafka in /health/ready through a fail-fast client. it reconnects on every failed
 * check, so readiness returns by itself once the broker is back.
 */
@Injectable()
export class KafkaHealth implements OnModuleInit, OnApplicationShutdown {
  private admin?: Admin;

  constructor(
    @Inject(KAFKA_HEALTH_ADMIN) private readonly kafka: Kafka,
    private readonly registry: HealthRegistry,
    private readonly indicator: KafkaHealthIndicator,
  ) {}

  onModuleInit(): void {
    const probe = { describeCluster: () => this.describeCluster() } as Admin;
    this.registry.register(() => this.indicator.isHealthy('kafka', probe, HEALTH_TIMEOUT_MS));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.admin?.disconnect().catch(() => undefined);
  }

  private async describeCluster() {
    try {
      if (!this.admin) {
        const admin = this.kafka.admin();
        await admin.connect();
        this.admin = admin;
      }
      return await this.admin.describeCluster();
    } catch (e) {
      const stale = this.admin;
      this.admin = undefined;
      await stale?.disconnect().catch(() => undefined);
      throw e;
    }
  }
}
