import { Controller, Get, Header, Optional, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { HealthCheckResult } from '@nestjs/terminus';
import { type AnonymousReadiness, HealthDetailsAccess, ReadinessCheck } from './readiness';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly readiness: ReadinessCheck,
    @Optional() private readonly access?: HealthDetailsAccess,
  ) {}

  /** liveness: the process serves http. no dependencies, so an outage never restarts pods */
  @Get('live')
  @Header('Cache-Control', 'no-cache, no-store, must-revalidate')
  @ApiOkResponse({ description: 'The process is up', schema: { example: { status: 'ok' } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * readiness: 200 or 503, as probes and the gateway need. the body says only up or down: which
   * stores a service uses, their versions and its stalled partitions are for operators, on the
   * management port (or for whoever HealthDetailsAccess lets in)
   */
  @Get('ready')
  @Header('Cache-Control', 'no-cache, no-store, must-revalidate')
  @ApiOkResponse({ description: 'Ready: every store the routes need answers', schema: { example: { status: 'ok' } } })
  @ApiServiceUnavailableResponse({ description: 'Not ready, or shutting down', schema: { example: { status: 'error' } } })
  async ready(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<HealthCheckResult | AnonymousReadiness> {
    // a 503 here is an answer, not an error: it is returned as is rather than thrown (the
    // problem+json filter would replace it)
    const { ready, result } = await this.readiness.run();
    if (!ready) void reply.status(503);
    if (this.access && (await this.access.allows(request))) return result;
    return { status: result.status };
  }
}
