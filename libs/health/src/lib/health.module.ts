import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { READINESS_GATES } from './constants';
import { HealthController } from './health.controller';
import { HealthRegistry } from './health.registry';
import { ReadinessCheck } from './readiness';
import { CassandraHealthIndicator } from './indicators/cassandra.health';
import { ElasticsearchHealthIndicator } from './indicators/elasticsearch.health';
import { KafkaHealthIndicator } from './indicators/kafka.health';
import { MongoHealthIndicator } from './indicators/mongo.health';
import { PostgresHealthIndicator } from './indicators/postgres.health';
import { RedisHealthIndicator } from './indicators/redis.health';
import { ShutdownState } from './shutdown.state';

const indicators = [
  MongoHealthIndicator,
  PostgresHealthIndicator,
  RedisHealthIndicator,
  KafkaHealthIndicator,
  CassandraHealthIndicator,
  ElasticsearchHealthIndicator,
];
const state = [HealthRegistry, ShutdownState, ReadinessCheck];

/** /health/live and /health/ready (the status only; ReadinessCheck has the details), plus the pieces datastore modules use to join readiness */
@Global()
@Module({
  // json style: a failing check logs one line per poll instead of a box per dependency
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json' })],
  controllers: [HealthController],
  providers: [...state, ...indicators],
  exports: [...state, ...indicators, TerminusModule],
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
