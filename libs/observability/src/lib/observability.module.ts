import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { ServiceConfig } from '@ecom/config';
import { loggerParams } from './logger.params';
import { Metrics } from './metrics/metrics';

export interface ObservabilityOptions {
  /** where log lines go; stdout when omitted (tests pass a capturing stream) */
  readonly logDestination?: DestinationStream;
}

/**
 * json logging with correlation ids, plus the prometheus registry (served by serveMetrics on the
 * management listener). requests get their correlation id from correlateRequests(), a fastify hook
 */
@Module({})
export class MetricsModule {
  /** the service's Metrics alone, for apps and tests without the rest of ObservabilityModule */
  static forRoot(serviceName: string): DynamicModule {
    return {
      module: MetricsModule,
      global: true,
      providers: [{ provide: Metrics, useFactory: () => new Metrics(serviceName) }],
      exports: [Metrics],
    };
  }
}

@Module({})
export class ObservabilityModule {
  static forRoot(service: ServiceConfig, options: ObservabilityOptions = {}): DynamicModule {
    return {
      module: ObservabilityModule,
      global: true,
      imports: [LoggerModule.forRoot(loggerParams(service, options.logDestination)), MetricsModule.forRoot(service.name)],
    };
  }
}
