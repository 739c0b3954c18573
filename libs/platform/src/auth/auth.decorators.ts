import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { ApiErrors } from '../api-responses';
import { Principal, Role } from './principal';

export const PUBLIC = 'auth:public';
export const ROLES = 'auth:roles';

/** Anyone may call it, with or without a token (health, metrics, the catalogue, sign-up). */
export const Public = () => SetMetadata(PUBLIC, true);

/**
 * A verified bearer token with one of these roles (none given: any role) is needed: 401 without
 * one or with an invalid or expired one, 403 with the wrong role. Every route that is not
 * @Public() needs a token; this names the roles and documents both answers in /docs.
 */
export const Roles = (...roles: Role[]) =>
  applyDecorators(SetMetadata(ROLES, roles), ApiBearerAuth(), ApiErrors({ 401: 'AUTH_REQUIRED, TOKEN_INVALID or TOKEN_EXPIRED' }, { 403: `FORBIDDEN: ${roles.length ? `needs the role ${roles.join(' or ')}` : 'not yours'}` }));

/** The verified principal of the request (set by AuthGuard). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<{ principal?: Principal }>().principal;
  if (!principal) throw new Error('CurrentPrincipal on a route without a verified token (is it @Public()?)');
  return principal;
});
