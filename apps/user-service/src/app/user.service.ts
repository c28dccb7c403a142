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
  // the store every route needs; the others are reported in /health/ready without failing it
  readiness: ['mongodb'],
} satisfies ServiceOptions<typeof userConfig>;
