import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Roles } from './roles.decorator';

/** for admins only: the role check, and what the OpenAPI document says of it (bearer scheme, 401, 403) */
export const AdminOnly = () =>
  applyDecorators(
    Roles('admin'),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'No valid bearer token' }),
    ApiForbiddenResponse({ description: 'Admins only' }),
  );
