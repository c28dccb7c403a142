import { Controller, Get, Header, ServiceUnavailableException } from '@nestjs/common';
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
  ready(): Promise<HealthCheckResult> {
    // no checks while shutting down: the point is to leave the load balancer at once
    if (this.shutdown.isShuttingDown) throw new ServiceUnavailableException(SHUTTING_DOWN);
    return this.health.check(this.registry.all());
  }
}
