import { Controller, Get, NotFoundException } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '@ecom/auth';
import { UserView } from '../accounts/user.view';
import { UsersRepository } from '../accounts/users.repository';

@ApiTags('users')
@ApiBearerAuth()
@Controller('api/users')
export class MeHttpController {
  constructor(private readonly users: UsersRepository) {}

  @Get('me')
  @ApiOkResponse({ type: UserView })
  @ApiUnauthorizedResponse({ description: 'No valid bearer token' })
  async me(@CurrentUser() caller: AuthUser): Promise<UserView> {
    const user = await this.users.findById(caller.id);
    // a token outliving its account (deleted since) names nobody
    if (!user) throw new NotFoundException('this account no longer exists');
    return UserView.of(user);
  }
}
