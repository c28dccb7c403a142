import { bootstrapService } from '@ecom/bootstrap';
import { analyticsConfig, SERVICE } from './app/analytics.config';
import { AnalyticsModule } from './app/analytics.module';

void bootstrapService({
  name: SERVICE,
  module: AnalyticsModule,
  config: analyticsConfig,
  openapi: { title: 'Analytics service', description: 'Event history and time series.' },
});
