import { createParamDecorator, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { AuthService } from '../auth/auth.service';
import { ShutdownState } from '../health/shutdown-state';
import type { User } from '../users/user.entity';
import { toPresenceUserView } from '../users/user.view';
import type { LiveSocket } from './live-server';

/**
 * The authenticated User of each socket. Kept beside the socket rather than in `socket.data`, which the Redis adapter
 * serialises for other instances: the entity (with its password hash) must never travel.
 */
const socketUsers = new WeakMap<LiveSocket, User>();

export function socketUser(socket: LiveSocket): User {
  const user = socketUsers.get(socket);
  // the handshake middleware refuses every socket it could not authenticate, so this is a bug if it happens
  if (!user) throw new Error('Live socket without an authenticated user');
  return user;
}

/** The signed-in user of the socket that sent the event. */
export const LiveUser = createParamDecorator((_: unknown, context: ExecutionContext): User => socketUser(context.switchToWs().getClient<LiveSocket>()));

/**
 * Namespace middleware (`server.use`): the handshake's `auth.token` is checked by the same AuthService as HTTP
 * bearer tokens; a missing, invalid or disabled token is refused with `connect_error` "unauthorized", and every
 * handshake once the instance is shutting down with "shutting_down".
 */
@Injectable()
export class SocketAuth {
  private readonly logger = new Logger('LiveAuth');

  constructor(
    private readonly auth: AuthService,
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
        socketUsers.set(socket, user);
        socket.data.user = toPresenceUserView(user);
        socket.data.sessionIds = [];
        next();
      },
      (error: unknown) => {
        this.logger.error({ err: error }, 'Live handshake failed');
        next(new Error('internal'));
      },
    );
  };
}
