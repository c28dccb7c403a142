import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { HealthRegistry } from '@ecom/health';

interface Stall {
  readonly topic: string;
  readonly partition: number;
  readonly since: string;
  error: string;
}

/**
 * the partitions whose current message waits for a store. shown in /health/ready as `consumer`
 * (down while any waits); it never gates readiness, since the store's own check tells the truth
 * about the store, and leaving the load balancer would not bring it back.
 */
@Injectable()
export class ConsumerStalls implements OnModuleInit {
  private readonly stalls = new Map<string, Stall>();
  private active = false;
  private crashed: { since: string; error: string } | null = null;

  constructor(
    private readonly registry: HealthRegistry,
    private readonly health: HealthIndicatorService,
  ) {}

  onModuleInit(): void {
    this.registry.register(
      async () => {
        if (!this.active) return {};
        const stalled = [...this.stalls.values()];
        const check = this.health.check('consumer');
        if (this.crashed) return check.down({ running: false, ...this.crashed, stalled });
        return stalled.length === 0 ? check.up({ stalled: [] }) : check.down({ stalled });
      },
      { dependency: false },
    );
  }

  /** the consumer runs: report it from now on (services without handlers never show it) */
  activate(): void {
    this.active = true;
  }

  /** the consumer crashed and a new one is starting (error), or it consumes again (null) */
  notRunning(error: string | null): void {
    if (error === null) this.crashed = null;
    else this.crashed ??= { since: new Date().toISOString(), error };
  }

  update(topic: string, partition: number, error: string | null): void {
    const key = `${topic}/${partition}`;
    if (error === null) this.stalls.delete(key);
    else {
      const stall = this.stalls.get(key);
      if (stall) stall.error = error;
      else this.stalls.set(key, { topic, partition, since: new Date().toISOString(), error });
    }
  }
}
