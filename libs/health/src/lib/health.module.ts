import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { READINESS_GATES } from './constants';
import { HealthController } from './health.controller';
import { HealthRegistry } from './health.registry';
import { ReadinessCheck } from './readiness';
import { ShutdownState } from './shutdown.state';

const state = [HealthRegistry, ShutdownState, ReadinessCheck];

/** /health/live and /health/ready (the status only; ReadinessCheck has the details), plus the registry each store module joins with its own indicator (the store libraries, libs/store-*) */
@Global()
@Module({
  // json style: a failing check logs one line per poll instead of a box per dependency
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json' })],
  controllers: [HealthController],
  providers: state,
  exports: [...state, TerminusModule],
})
export class HealthModule {
  /** gates: the checks whose failure makes the service not ready (default: all of them) */
  static forRoot(options: { gates?: readonly string[] } = {}): DynamicModule {
    return {
      module: HealthModule,
      global: true,
      providers: options.gates ? [{ provide: READINESS_GATES, useValue: options.gates }] : [],
    };
  }
}
