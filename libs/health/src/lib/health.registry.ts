import { Inject, Injectable, Optional } from '@nestjs/common';
import { HealthCheckError, type HealthIndicatorFunction, type HealthIndicatorResult } from '@nestjs/terminus';
import { READINESS_GATES } from './constants';

export interface CheckOptions {
  /**
   * a dependency (the default): its check counts for `dependenciesHealthy()`, which message
   * consumers ask before dead-lettering. false for checks about the service itself.
   */
  readonly dependency?: boolean;
}

interface Entry {
  readonly check: HealthIndicatorFunction;
  readonly dependency: boolean;
}

/**
 * the readiness checks of this service. datastore and kafka modules register theirs in
 * onModuleInit; /health/ready runs them all. only the gates (by default every check) can take
 * the service out of the load balancer; the others are reported in the body, because routes that
 * don't need them keep working (a cache, search, the broker behind an outbox).
 */
@Injectable()
export class HealthRegistry {
  private readonly entries: Entry[] = [];

  constructor(@Optional() @Inject(READINESS_GATES) private readonly gateNames?: readonly string[]) {}

  register(check: HealthIndicatorFunction, options: CheckOptions = {}): void {
    this.entries.push({ check: guard(check, `check-${this.entries.length + 1}`), dependency: options.dependency ?? true });
  }

  all(): HealthIndicatorFunction[] {
    return this.entries.map((e) => e.check);
  }

  /** whether a failing check of this name makes the service not ready */
  gates(name: string): boolean {
    return this.gateNames === undefined || this.gateNames.includes(name);
  }

  /** runs every dependency's check; true when all of them are up */
  async dependenciesHealthy(): Promise<boolean> {
    const results = await Promise.all(this.entries.filter((e) => e.dependency).map((e) => e.check()));
    return results.every((r) => Object.values(r).every((d) => d.status === 'up'));
  }
}

// terminus turns a thrown error into a 500 for the whole endpoint; report that one check down instead
function guard(check: HealthIndicatorFunction, fallbackKey: string): HealthIndicatorFunction {
  return async (): Promise<HealthIndicatorResult> => {
    try {
      return await check();
    } catch (e) {
      if (e instanceof HealthCheckError) return e.causes as HealthIndicatorResult;
      return { [fallbackKey]: { status: 'down', message: e instanceof Error ? e.message : String(e) } };
    }
  };
}
