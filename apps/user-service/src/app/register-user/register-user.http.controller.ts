import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Public, RateLimit } from '@ecom/http';
import { UserView } from '../accounts/user.view';
import { RegisterUserRequest } from './register-user.request.dto';
import { RegisterUserService } from './register-user.service';

@ApiTags('users')
@Controller('api/users')
export class RegisterUserHttpController {
  constructor(private readonly registration: RegisterUserService) {}

  @Public()
  @RateLimit('register')
  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ type: UserView })
  @ApiBadRequestResponse({ description: 'Malformed email or weak password' })
  @ApiConflictResponse({ description: 'The email is already registered' })
  async register(@Body() body: RegisterUserRequest): Promise<UserView> {
    return UserView.of(await this.registration.register(body));
  }
}
