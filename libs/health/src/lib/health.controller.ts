import { Controller, Get, Header, Logger, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, type HealthCheckResult, type HealthIndicatorResult } from '@nestjs/terminus';
import { HealthRegistry } from './health.registry';
import { ShutdownState } from './shutdown.state';

const SHUTTING_DOWN: HealthCheckResult = { status: 'shutting_down', info: {}, error: {}, details: {} };

@ApiTags('health')
@Controller('health')
export class HealthController {
  private readonly log = new Logger('Health');
  private lastDown = '';

  constructor(
    private readonly registry: HealthRegistry,
    private readonly shutdown: ShutdownState,
  ) {}

  /** liveness: the process serves http. no dependencies, so an outage never restarts pods */
  @Get('live')
  @Header('Cache-Control', 'no-cache, no-store, must-revalidate')
  @ApiOkResponse({ description: 'The process is up', schema: { example: { status: 'ok' } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * readiness: every check runs and is named in the body. 503 when a gate is down (the store
   * every route needs) or shutdown began; any other check that is down is reported, and the
   * service stays in the load balancer for the routes that still work.
   */
  @Get('ready')
  @HealthCheck()
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    // a 503 here is an answer, not an error: the body names each dependency, so it is returned
    // as is rather than thrown (the problem+json filter would replace it)
    if (this.shutdown.isShuttingDown) return this.unavailable(reply, SHUTTING_DOWN); // no checks: leave the load balancer at once
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
    return blocking.length > 0 ? this.unavailable(reply, result) : result;
  }

  /** one line when the set of failing checks changes, not one per probe */
  private logChange(down: string[]): void {
    const now = down.join(',');
    if (now === this.lastDown) return;
    if (now) this.log.warn({ down }, 'readiness checks failing');
    else this.log.log({ previouslyDown: this.lastDown.split(',') }, 'readiness checks all up again');
    this.lastDown = now;
  }

  private unavailable(reply: FastifyReply, result: HealthCheckResult): HealthCheckResult {
    void reply.status(503);
    return result;
  }
}
