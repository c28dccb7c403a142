import { Controller, Get, Module, Post } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { httpConfig, jwtSignConfig, jwtVerifyConfig, serviceConfig } from '@ecom/config';
import { AuthModule } from './auth.module';
import type { AccessToken, AuthUser } from './auth-user';
import { CurrentUser } from './current-user.decorator';
import { Public } from '@ecom/http';
import { Roles } from './roles.decorator';
import { TokenSigner } from './token-signer';

// a tiny service for the guard specs: a public, a signed-in and an admin-only route

@ApiBearerAuth()
@Controller()
class AccountController {
  constructor(private readonly signer: TokenSigner) {}

  @Public()
  @Get('catalog')
  catalog() {
    return [{ sku: 'tea' }];
  }

  @Public()
  @Post('login')
  login(): Promise<AccessToken> {
    return this.signer.sign({ sub: 'user-1', role: 'customer', email: 'ann@example.com' });
  }

  @Get('me')
  me(@CurrentUser() user: AuthUser) {
    return user;
  }

  @Roles('admin')
  @Get('admin/report')
  report() {
    return { orders: 3 };
  }
}

@Module({ imports: [AuthModule.forRoot({ sign: true })], controllers: [AccountController] })
class AccountModule {}

export const accountService = {
  name: 'account-service',
  module: AccountModule,
  config: [serviceConfig('account-service'), httpConfig(3997), jwtVerifyConfig(), jwtSignConfig()],
} as const;
