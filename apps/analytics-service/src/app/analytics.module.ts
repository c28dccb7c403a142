import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AuthModule } from '@ecom/auth';
import { CassandraModule } from '@ecom/store-cassandra';
import { KafkaModule } from '@ecom/kafka';
import { analyticsSchema } from './analytics.schema';
import { FactsRepository } from './facts/facts.repository';
import { RecordEventsMessageController } from './record-events/record-events.message.controller';
import { RollupPolicy } from './rollups/rollup-policy';
import type { RollupsConfig } from './rollups/rollups.config';
import { RollupsRepository } from './rollups/rollups.repository';
import { RollupsService } from './rollups/rollups.service';
import { SummaryHttpController } from './summary/summary.http.controller';
import { SummaryService } from './summary/summary.service';
import { TimeseriesHttpController } from './timeseries/timeseries.http.controller';
import { TimeseriesService } from './timeseries/timeseries.service';

const httpControllers = [SummaryHttpController, TimeseriesHttpController];
const messageControllers = [RecordEventsMessageController];
const services = [SummaryService, TimeseriesService, RollupsService];
const repositories = [FactsRepository, RollupsRepository];
const policy = {
  provide: RollupPolicy,
  inject: [ConfigService],
  useFactory: (config: ConfigService) => new RollupPolicy(config.getOrThrow<RollupsConfig>('rollups').maxClockSkewMs),
};

@Module({
  imports: [AuthModule.forRoot(), CassandraModule.forRoot(analyticsSchema), KafkaModule],
  controllers: [...httpControllers, ...messageControllers],
  providers: [...services, ...repositories, policy],
})
export class AnalyticsModule {}
