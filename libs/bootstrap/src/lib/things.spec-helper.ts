import { Body, Controller, Get, Header, Injectable, Module, type OnModuleDestroy, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ApiTags } from '@nestjs/swagger';
import { IsInt, IsString, Min, MinLength } from 'class-validator';
import { httpConfig, serviceConfig } from '@ecom/config';
import { currentCorrelationId } from '@ecom/observability';

// a tiny service for the bootstrap specs: one fast, one slow and one validated endpoint

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** records the order of events so specs can see what shutdown did when */
@Injectable()
export class LifecycleProbe implements OnModuleDestroy {
  readonly events: string[] = [];
  hangOnDestroy = false;
  /** the slow request reached its handler */
  slowStarted = false;

  async onModuleDestroy(): Promise<void> {
    this.events.push('module destroyed');
    if (this.hangOnDestroy) await new Promise(() => undefined);
  }
}

export class CreateThingDto {
  @IsString()
  @MinLength(2)
  name!: string;

  @IsInt()
  @Min(1)
  quantity!: number;
}

@ApiTags('things')
@Controller('things')
class ThingsController {
  constructor(private readonly probe: LifecycleProbe) {}

  @Get()
  list() {
    return [{ name: 'fast' }];
  }

  /** a route whose answer may be cached says so itself */
  @Get('cacheable')
  @Header('Cache-Control', 'public, max-age=60')
  cacheable() {
    return { cacheable: true };
  }

  @Get('slow')
  async slow() {
    this.probe.slowStarted = true;
    await sleep(300);
    this.probe.events.push('slow request finished');
    return { done: true };
  }

  /** the client ip fastify settled on (what rate limits key on) */
  @Get('ip')
  ip(@Req() request: FastifyRequest) {
    return { ip: request.ip };
  }

  @Get('boom')
  boom(): never {
    throw new Error('connection string postgres://secret@db');
  }

  /** what node-postgres throws when the server went away mid-query */
  @Get('outage')
  outage(): never {
    throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
  }

  @Post()
  create(@Body() dto: CreateThingDto) {
    return { ...dto, transformed: dto instanceof CreateThingDto };
  }

  /** the correlation id the handler runs under, after its body was read and after an await */
  @Post('correlation')
  async correlation(@Body() _dto: CreateThingDto) {
    await sleep(1);
    return { correlationId: currentCorrelationId() };
  }
}

@Module({ controllers: [ThingsController], providers: [LifecycleProbe] })
class ThingsModule {}

export const thingsService = {
  name: 'things-service',
  module: ThingsModule,
  config: [serviceConfig('things-service'), httpConfig(3999)],
  openapi: { title: 'Things service', description: 'for the bootstrap specs' },
} as const;
