import { Module } from '@nestjs/common';
import { AuthModule } from '@ecom/auth';
import { CassandraModule } from '@ecom/store-cassandra';
import { KafkaModule } from '@ecom/kafka';
import { analyticsSchema } from './analytics.schema';
import { FactsRepository } from './facts/facts.repository';
import { RecordEventsMessageController } from './record-events/record-events.message.controller';
import { SummaryHttpController } from './summary/summary.http.controller';
import { SummaryService } from './summary/summary.service';
import { TimeseriesHttpController } from './timeseries/timeseries.http.controller';
import { TimeseriesService } from './timeseries/timeseries.service';

const httpControllers = [SummaryHttpController, TimeseriesHttpController];
const messageControllers = [RecordEventsMessageController];
const services = [SummaryService, TimeseriesService];
const repositories = [FactsRepository];

@Module({
  imports: [AuthModule.forRoot(), CassandraModule.forRoot(analyticsSchema), KafkaModule],
  controllers: [...httpControllers, ...messageControllers],
  providers: [...services, ...repositories],
})
export class AnalyticsModule {}
