import { Body, Controller, HttpCode, Ip, Post, UseFilters } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { AccessToken } from '@ecom/auth';
import { Public } from '@ecom/http';
import { AccessTokenView } from './access-token.view';
import { ChallengeRequiredFilter } from './login-challenge';
import { LoginProblemView, loginProblem } from './login.problem.view';
import { LoginRequest } from './login.request.dto';
import { LoginService } from './login.service';

@ApiTags('auth')
@ApiExtraModels(LoginProblemView)
@Controller('api/auth')
export class LoginHttpController {
  constructor(private readonly logins: LoginService) {}

  @Public()
  @Post('login')
  @UseFilters(ChallengeRequiredFilter)
  @ApiBadRequestResponse(loginProblem('A missing or malformed email, password or challengeToken, listed'))
  @HttpCode(200)
  @ApiOkResponse({ type: AccessTokenView, description: 'The access token of the account' })
  @ApiUnauthorizedResponse(
    loginProblem(
      'Wrong email or password (the same answer for an unknown email). Or, for an account under attack (many failed ' +
        'logins from many addresses) when the deployment asks for a challenge: a missing or refused `challengeToken`, ' +
        "answered before the password is checked, with `challenge` naming what to pass ('captcha') and type " +
        'urn:ecom:problem:login-challenge-required.',
    ),
  )
  @ApiTooManyRequestsResponse(
    loginProblem(
      'Too many failed logins of this account from this address, or from this address across accounts: wait the ' +
        'seconds in Retry-After (they double with each further failure, up to a cap). The attempt was not checked. ' +
        'Failures from other addresses never slow this one down.',
      { retryAfter: true },
    ),
  )
  @ApiServiceUnavailableResponse(
    loginProblem('The store of the login limits is unavailable, so no login is checked: retry after Retry-After', { retryAfter: true }),
  )
  login(@Body() body: LoginRequest, @Ip() ip: string): Promise<AccessToken> {
    return this.logins.login({ email: body.email, password: body.password, ip, challengeToken: body.challengeToken });
  }
}
