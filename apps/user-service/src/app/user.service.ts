import type { ServiceOptions } from '@ecom/bootstrap';
import { userConfig, SERVICE } from './user.config';
import { UserModule } from './user.module';

/** everything bootstrapService needs; tests build the same app from it */
export const userService = {
  name: SERVICE,
  module: UserModule,
  config: userConfig,
  openapi: {
    title: 'User service',
    description: 'Accounts, login and profiles.',
  },
} satisfies ServiceOptions<typeof userConfig>;
