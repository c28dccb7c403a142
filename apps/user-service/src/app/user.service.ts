import { REVOCATIONS_CHECK } from '@ecom/kafka';
import type { ServiceOptions } from '@ecom/bootstrap';
import { userConfig, SERVICE } from './user.config';
import { UserModule } from './user.module';

/** everything bootstrapService needs; tests build the same app from it */
export const userService = {
  name: SERVICE,
  module: UserModule.forRoot(),
  config: userConfig,
  openapi: {
    title: 'User service',
    description: 'Accounts, login and profiles.',
  },
  // the store every route needs, and the deleted users' revocations read to the end (no traffic
  // before they are known); the others are reported in /health/ready without failing it
  readiness: ['mongodb', REVOCATIONS_CHECK],
} satisfies ServiceOptions<typeof userConfig>;
