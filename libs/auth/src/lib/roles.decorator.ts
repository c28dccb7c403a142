import { SetMetadata } from '@nestjs/common';
import type { Role } from './auth-user';
import { ROLES_KEY } from './constants';

/** only these roles may call the route (403 otherwise); no role implies another, list each */
export const Roles = (...roles: [Role, ...Role[]]) => SetMetadata(ROLES_KEY, roles);
