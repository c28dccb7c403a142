import { Body, Controller, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Public, type AccessToken } from '@ecom/auth';
import { LoginRequest } from './login.request.dto';
import { LoginService } from './login.service';

@ApiTags('auth')
@Controller('api/auth')
export class LoginHttpController {
  constructor(private readonly logins: LoginService) {}

  @Public()
  @Post('login')
  @ApiBadRequestResponse({ description: 'A missing or malformed email or password, listed' })
  @HttpCode(200)
  @ApiOkResponse({
    description: '{ accessToken, tokenType: "Bearer", expiresIn }',
  })
  @ApiUnauthorizedResponse({ description: 'Wrong email or password' })
  @ApiTooManyRequestsResponse({ description: 'Too many attempts from this address or for this account' })
  login(@Body() body: LoginRequest, @Ip() ip: string): Promise<AccessToken> {
    return this.logins.login(body.email, body.password, ip);
  }
}
