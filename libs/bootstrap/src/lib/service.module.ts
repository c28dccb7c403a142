import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { AppConfigModule } from '@ecom/config';
import { HealthModule } from '@ecom/health';
import { ObservabilityModule, type ObservabilityOptions } from '@ecom/observability';
import type { CoreConfig } from './service-options';

/** the root of every service: shared infrastructure around the service's own module */
@Module({})
export class ServiceModule {
  static forRoot(
    feature: Type<unknown> | DynamicModule,
    config: CoreConfig & Record<string, unknown>,
    observability: ObservabilityOptions = {},
    readiness?: readonly string[],
  ): DynamicModule {
    return {
      module: ServiceModule,
      imports: [
        AppConfigModule.forRoot(config),
        ObservabilityModule.forRoot(config.service, observability),
        HealthModule.forRoot({ gates: readiness }),
        feature,
      ],
    };
  }
}
