import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { RegisterUserService } from '../register-user/register-user.service';
import type { AdminSeedConfig } from './admin-seed.config';
import { UsersRepository } from './users.repository';

/** the first admin comes from config; an existing account with that email is left as it is */
@Injectable()
export class AdminSeed implements OnApplicationBootstrap {
  private readonly log = new Logger(AdminSeed.name);

  constructor(
    private readonly config: ConfigService,
    private readonly users: UsersRepository,
    private readonly registration: RegisterUserService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { email, password } = this.config.getOrThrow<AdminSeedConfig>('adminSeed');
    if (await this.users.findByEmail(email)) return;
    try {
      await this.registration.register({
        email,
        password,
        name: 'Administrator',
        role: 'admin',
      });
      this.log.log({ email }, 'created the admin account');
    } catch (e) {
      // another replica created it at the same moment
      if ((e as { status?: number }).status !== 409) throw e;
    }
  }
}
