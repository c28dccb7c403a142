import { bootstrapService } from '@ecom/bootstrap';
import { SERVICE, userConfig } from './app/user.config';
import { UserModule } from './app/user.module';

void bootstrapService({
  name: SERVICE,
  module: UserModule,
  config: userConfig,
  openapi: { title: 'User service', description: 'Accounts, login and profiles.' },
});
