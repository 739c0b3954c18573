import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthRequiredError, ForbiddenError } from './auth.errors';
import { authenticate } from './authenticate';
import { PUBLIC, ROLES } from './auth.decorators';
import { Principal, Role } from './principal';
import { TokenService } from './token-service';

/**
 * Every HTTP route needs a verified bearer token unless it is @Public(); @Roles() narrows the
 * roles. The principal is put on the request for @CurrentPrincipal(). A token on a public route
 * is verified too (a bad one is refused rather than ignored). Kafka handlers are not HTTP: their
 * events were authorised where they were caused.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<{ principal?: Principal }>();
    const { principal, failure } = authenticate(request, this.tokens);
    if (failure) throw failure;
    request.principal = principal;
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    if (!principal) throw new AuthRequiredError();
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets) ?? [];
    if (roles.length > 0 && !roles.some((r) => principal.roles.includes(r))) {
      throw new ForbiddenError(`this route needs the role ${roles.join(' or ')}`);
    }
    return true;
  }
}
