import { Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { AuthService } from '../auth/auth.service';
import { ShutdownState } from '../health/shutdown-state';
import type { User } from '../users/user.entity';
import { toPresenceUserView } from '../users/user.view';
import { UsersService } from '../users/users.service';
import type { LiveSocket } from './live-server';

/**
 * Namespace middleware (`server.use`): the handshake's `auth.token` is checked by the same AuthService as HTTP
 * bearer tokens; a missing, invalid or disabled token is refused with `connect_error` "unauthorized", and every
 * handshake once the instance is shutting down with "shutting_down".
 *
 * A socket keeps only its user's summary (`socket.data.user`, which presence and typing need): an idle connection
 * does not pin the User entity, and the events that need it read it as HTTP requests do, through the users'
 * short-lived cache, so a role change reaches live events as soon as it reaches HTTP.
 */
@Injectable()
export class SocketAuth {
  private readonly logger = new Logger('LiveAuth');

  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
    private readonly shutdown: ShutdownState,
  ) {}

  readonly middleware = (socket: LiveSocket, next: (error?: Error) => void): void => {
    // a draining instance takes no new connection: the client retries and the load balancer sends it elsewhere
    if (this.shutdown.isDraining) return next(new Error('shutting_down'));
    const token: unknown = (socket.handshake.auth as Record<string, unknown> | undefined)?.token;
    if (typeof token !== 'string' || token === '') return next(new Error('unauthorized'));
    this.auth.authenticate(token).then(
      (user) => {
        if (!user) return next(new Error('unauthorized'));
        socket.data.user = toPresenceUserView(user);
        socket.data.sessionIds = [];
        socket.data.tokenVersion = user.tokenVersion;
        next();
      },
      (error: unknown) => {
        this.logger.error({ err: error }, 'Live handshake failed');
        next(new Error('internal'));
      },
    );
  };

  /** Another instance revoked this account's tokens: the copy kept here must not let an older token through. */
  forgetUser(userId: string): void {
    this.users.forget(userId);
  }

  /**
   * The signed-in user of the socket; an account disabled meanwhile (its sockets are being closed), or whose password
   * changed since the handshake, is refused.
   */
  async userOf(socket: LiveSocket): Promise<User> {
    const user = await this.users.findForAuthentication(socket.data.user.id, socket.data.tokenVersion);
    if (!user || user.disabled) throw new UnauthorizedException('Ce compte est désactivé ou n’existe plus.');
    if (user.tokenVersion !== socket.data.tokenVersion)
      throw new UnauthorizedException('Cette connexion date d’avant un changement de mot de passe : reconnectez-vous.');
    return user;
  }
}
