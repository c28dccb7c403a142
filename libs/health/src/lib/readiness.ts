import { Injectable, Logger } from '@nestjs/common';
import type { HealthCheckResult, HealthIndicatorResult } from '@nestjs/terminus';
import type { FastifyRequest } from 'fastify';
import { HealthRegistry } from './health.registry';
import { ShutdownState } from './shutdown.state';

const SHUTTING_DOWN: HealthCheckResult = { status: 'shutting_down', info: {}, error: {}, details: {} };

export interface ReadinessReport {
  /** false: answer 503, the service leaves the load balancer */
  readonly ready: boolean;
  /** every check by name, with what it reports (versions, stalled partitions, driver messages) */
  readonly result: HealthCheckResult;
}

/** what the public body of /health/ready holds for a caller who may not see the details */
export type AnonymousReadiness = Pick<HealthCheckResult, 'status'>;

/**
 * runs the readiness checks: the public /health/ready and the management listener's share it.
 * not ready when a gate is down (the store every route needs) or shutdown began; any other check
 * that is down is reported, and the service stays in the load balancer for the routes that work.
 */
@Injectable()
export class ReadinessCheck {
  private readonly log = new Logger('Health');
  private lastDown = '';

  constructor(
    private readonly registry: HealthRegistry,
    private readonly shutdown: ShutdownState,
  ) {}

  async run(): Promise<ReadinessReport> {
    if (this.shutdown.isShuttingDown) return { ready: false, result: SHUTTING_DOWN }; // no checks: leave the load balancer at once
    const details: HealthIndicatorResult = Object.assign({}, ...(await Promise.all(this.registry.all().map((check) => check()))));
    const up = Object.entries(details).filter(([, d]) => d.status === 'up');
    const down = Object.entries(details).filter(([, d]) => d.status !== 'up');
    const blocking = down.filter(([name]) => this.registry.gates(name));
    this.logChange(down.map(([name]) => name));
    const result: HealthCheckResult = {
      status: blocking.length > 0 ? 'error' : 'ok',
      info: Object.fromEntries(up),
      error: Object.fromEntries(down),
      details,
    };
    return { ready: blocking.length === 0, result };
  }

  /** one line when the set of failing checks changes, not one per probe */
  private logChange(down: string[]): void {
    const now = down.join(',');
    if (now === this.lastDown) return;
    if (now) this.log.warn({ down }, 'readiness checks failing');
    else this.log.log({ previouslyDown: this.lastDown.split(',') }, 'readiness checks all up again');
    this.lastDown = now;
  }
}

/**
 * who may read the details of readiness on the public port. none is provided by default: the public
 * body is only the status, and the details are on the management listener. a global module may
 * provide one (e.g. an admin bearer token check) to show them to some callers on the public port too.
 */
export abstract class HealthDetailsAccess {
  abstract allows(request: FastifyRequest): boolean | Promise<boolean>;
}
