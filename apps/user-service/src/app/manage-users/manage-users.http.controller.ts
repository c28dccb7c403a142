import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthUser } from '@ecom/auth';
import { ApiPageResponse, PageQuery, type Page, RateLimit } from '@ecom/http';
import { UserView } from '../accounts/user.view';
import { ManageUsersService } from './manage-users.service';
import { UpdateMeRequest } from './update-me.request.dto';

@ApiTags('users')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No valid bearer token' })
@Controller('api/users')
export class ManageUsersHttpController {
  constructor(private readonly manage: ManageUsersService) {}

  @Roles('admin')
  @Get()
  @ApiBadRequestResponse({ description: 'Bad page or limit' })
  @ApiForbiddenResponse({ description: 'Admins only' })
  @ApiPageResponse(UserView, 'Users, oldest first')
  async list(@Query() q: PageQuery): Promise<Page<UserView>> {
    const page = await this.manage.list(q);
    return { ...page, items: page.items.map(UserView.of) };
  }

  // a static path: the router prefers it to :id whatever the order
  @RateLimit('write')
  @Patch('me')
  @ApiBadRequestResponse({ description: 'Invalid fields, listed (a weak password, an empty name)' })
  @ApiOkResponse({ type: UserView })
  async updateMe(@CurrentUser() caller: AuthUser, @Body() body: UpdateMeRequest): Promise<UserView> {
    return UserView.of(await this.manage.updateMe(caller, body));
  }

  @Get(':id')
  @ApiOkResponse({ type: UserView })
  @ApiNotFoundResponse({ description: 'No such user, or not yours to see' })
  async get(@CurrentUser() caller: AuthUser, @Param('id') id: string): Promise<UserView> {
    return UserView.of(await this.manage.get(caller, id));
  }

  @RateLimit('write')
  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted; a user.deleted event follows' })
  @ApiNotFoundResponse({ description: 'No such user, or not yours to delete' })
  async delete(@CurrentUser() caller: AuthUser, @Param('id') id: string): Promise<void> {
    await this.manage.delete(caller, id);
  }
}
