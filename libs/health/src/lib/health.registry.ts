import { Injectable } from '@nestjs/common';
import { HealthCheckError, type HealthIndicatorFunction, type HealthIndicatorResult } from '@nestjs/terminus';

/**
 * the readiness checks of this service. datastore and kafka modules register theirs in
 * onModuleInit; /health/ready runs them all.
 */
@Injectable()
export class HealthRegistry {
  private readonly checks: HealthIndicatorFunction[] = [];

  register(check: HealthIndicatorFunction): void {
    this.checks.push(guard(check, `check-${this.checks.length + 1}`));
  }

  all(): HealthIndicatorFunction[] {
    return [...this.checks];
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
