import { Module } from '@nestjs/common';
import { httpConfig, serviceConfig } from '@ecom/config';
import { bootstrapService } from './bootstrap-service';

// run by startup-error.spec in a child process with bad variables, as a main.ts would be

@Module({})
class DemoModule {}

void bootstrapService({
  name: 'demo-service',
  module: DemoModule,
  config: [serviceConfig('demo-service'), httpConfig(3998)],
});
