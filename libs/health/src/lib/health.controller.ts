import { Controller, Get, Header, Res, ServiceUnavailableException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { HealthRegistry } from './health.registry';
import { ShutdownState } from './shutdown.state';

const SHUTTING_DOWN: HealthCheckResult = { status: 'shutting_down', info: {}, error: {}, details: {} };

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
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

  /** readiness: every registered dependency answers; 503 naming each one otherwise */
  @Get('ready')
  @HealthCheck()
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    // a 503 here is an answer, not an error: the body names each dependency, so it is returned
    // as is rather than thrown (the problem+json filter would replace it)
    if (this.shutdown.isShuttingDown) return this.unavailable(reply, SHUTTING_DOWN); // no checks: leave the load balancer at once
    try {
      return await this.health.check(this.registry.all());
    } catch (e) {
      if (e instanceof ServiceUnavailableException) return this.unavailable(reply, e.getResponse() as HealthCheckResult);
      throw e;
    }
  }

  private unavailable(reply: FastifyReply, result: HealthCheckResult): HealthCheckResult {
    void reply.status(503);
    return result;
  }
}
