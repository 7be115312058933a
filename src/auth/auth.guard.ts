import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { hasRole, type Role } from '../common/roles';
import type { User } from '../users/user.entity';
import { IS_PUBLIC, MINIMUM_ROLE } from './auth.decorators';
import { AuthService } from './auth.service';

/**
 * Global guard: every route needs a valid bearer token of an enabled account unless marked @Public(), and the
 * role named by @RequireRole() or above.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const request = context.switchToHttp().getRequest<Request & { user?: User }>();
    const token = bearerToken(request.headers.authorization);
    if (!token) throw new UnauthorizedException('Connexion requise : jeton d’accès absent.');
    const user = await this.auth.authenticate(token);
    if (!user) throw new UnauthorizedException('Votre session a expiré ou n’est pas valable : reconnectez-vous.');
    request.user = user;

    const minimumRole = this.reflector.getAllAndOverride<Role | undefined>(MINIMUM_ROLE, targets);
    if (minimumRole && !hasRole(user.role, minimumRole)) {
      throw new ForbiddenException(`Cette action est réservée aux ${ROLE_PLURALS[minimumRole]}.`);
    }
    return true;
  }
}

/** Who a role-restricted action is for, as a refusal names them. */
const ROLE_PLURALS: Record<Role, string> = { participant: 'participants', moderator: 'modérateurs', admin: 'administrateurs' };

function bearerToken(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1];
}
