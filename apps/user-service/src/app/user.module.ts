import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { AuthModule } from '@ecom/auth';
import { MongoModule, MongoOutboxModule } from '@ecom/store-mongo';
import { RedisModule, RedisRateLimitCounts } from '@ecom/store-redis';
import { RateLimitsModule } from '@ecom/http';
import { KafkaModule } from '@ecom/kafka';
import { AdminSeed } from './accounts/admin-seed';
import { USERS } from './accounts/user.schema';
import { UsersRepository } from './accounts/users.repository';
import { LOGIN_CHALLENGE, NoLoginChallenge, type LoginChallenge } from './login/login-challenge';
import { LoginHttpController } from './login/login.http.controller';
import { LoginRateLimiter } from './login/login-rate-limiter';
import { LoginService } from './login/login.service';
import { ManageUsersHttpController } from './manage-users/manage-users.http.controller';
import { ManageUsersService } from './manage-users/manage-users.service';
import { MeHttpController } from './me/me.http.controller';
import { RegisterUserHttpController } from './register-user/register-user.http.controller';
import { RegisterUserService } from './register-user/register-user.service';

const httpControllers = [RegisterUserHttpController, LoginHttpController, MeHttpController, ManageUsersHttpController];
const services = [RegisterUserService, LoginService, LoginRateLimiter, ManageUsersService, AdminSeed];
const repositories = [UsersRepository];

@Module({
  imports: [
    AuthModule.forRoot({ sign: true }),
    MongoModule.forRoot(),
    MongoModule.forFeature([USERS]),
    RedisModule,
    RateLimitsModule.forRoot(RedisRateLimitCounts),
    KafkaModule,
    MongoOutboxModule,
  ],
  controllers: httpControllers,
  providers: [...services, ...repositories],
})
export class UserModule {
  /**
   * loginChallenge: the hook asked while an account is under attack (see LoginChallenge). the
   * default asks for nothing; a deployment plugs its CAPTCHA in here
   */
  static forRoot({ loginChallenge = NoLoginChallenge }: { loginChallenge?: Type<LoginChallenge> } = {}): DynamicModule {
    return { module: UserModule, providers: [{ provide: LOGIN_CHALLENGE, useClass: loginChallenge }] };
  }
}
