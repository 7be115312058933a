import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { Role } from '../common/roles';
import type { User } from '../users/user.entity';

export const IS_PUBLIC = 'essor:isPublic';
export const MINIMUM_ROLE = 'essor:minimumRole';
export const CREDENTIAL_ATTEMPT = 'essor:credentialAttempt';

/** Who may call a route, as the OpenAPI document says it (`x-essor-access`; absent: anyone signed in). */
export const ACCESS_EXTENSION = 'x-essor-access';

/** A route anyone may call, signed in or not. */
export const Public = () => applyDecorators(SetMetadata(IS_PUBLIC, true), ApiExtension(ACCESS_EXTENSION, 'anyone'));

/** A route for this role and the roles above it (participant < moderator < admin). */
export const RequireRole = (role: Role) => applyDecorators(SetMetadata(MINIMUM_ROLE, role), ApiExtension(ACCESS_EXTENSION, `${role}+`));

/** The signed-in user of this request, with their metropolis loaded. */
export const CurrentUser = createParamDecorator((_: unknown, context: ExecutionContext): User => {
  return context.switchToHttp().getRequest<{ user: User }>().user;
});

/** Sign-in and registration: limited much more strictly than other routes, against password guessing. */
export const CredentialAttempt = () => SetMetadata(CREDENTIAL_ATTEMPT, true);
