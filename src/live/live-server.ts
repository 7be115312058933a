import { Injectable } from '@nestjs/common';
import type { Namespace, Socket } from 'socket.io';
import { AppConfig } from '../config/app-config';
import type { ClientToServerEvents, InterServerEvents, LiveNotificationBatch, LiveSocketData, ServerToClientEvents } from './live-events';

export const LIVE_NAMESPACE = '/live';

/** The contract asks for at least 1 MB, so an oversized post reaches validation and is answered bad_request. */
export const LIVE_MAX_FRAME_BYTES = 2_000_000;

/**
 * Heartbeat: the server pings every 5 s and a client that hears nothing for interval + timeout (9 s) drops the
 * connection and says so, so a stalled server shows within about 10 s rather than socket.io's default 45 s.
 */
export const LIVE_PING_INTERVAL_MS = 5_000;
export const LIVE_PING_TIMEOUT_MS = 4_000;

/** Between instances (Redis adapter): an account whose tokens were revoked, for each instance to drop its cached copy. */
export interface LiveInterServerEvents extends InterServerEvents {
  'user:tokens-revoked': (userId: string) => void;
}
export type LiveNamespace = Namespace<ClientToServerEvents, ServerToClientEvents, LiveInterServerEvents, LiveSocketData>;
export type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, LiveInterServerEvents, LiveSocketData>;

/** Room names: one place, so the gateway, presence and the broadcaster cannot disagree. */
export const rooms = {
  thread: (id: string) => `thread:${id}`,
  session: (id: string) => `session:${id}`,
  user: (id: string) => `user:${id}`,
  /** Every moderator's and admin's sockets, joined at connection: the open-report count goes there. */
  moderators: 'moderators',
};

/**
 * The /live namespace, handed over by the gateway once socket.io is up, for the services that emit to rooms.
 * Broadcasting goes through the namespace (`to(room).emit`), so with the Redis adapter it reaches every instance.
 */
@Injectable()
export class LiveServer {
  private server: LiveNamespace | undefined;
  /** With REDIS_URL the instances share rooms through the Redis adapter and can message each other. */
  private readonly sharedWithOtherInstances: boolean;

  constructor(config: AppConfig) {
    this.sharedWithOtherInstances = config.redisUrl !== undefined;
  }

  attach(server: LiveNamespace): void {
    this.server = server;
    server.on('notifications:deliver', (batch) => this.deliverLocally(batch));
  }

  /**
   * Hands each notification of the batch to the recipient's sockets, on every instance: each instance delivers to the
   * sockets it holds, and only for the people who have one, so a post that notifies 200 people costs one message
   * between instances and an emit per connected recipient, not 200 broadcasts.
   */
  deliverNotifications(batch: LiveNotificationBatch): void {
    this.deliverLocally(batch);
    if (this.sharedWithOtherInstances) this.server?.serverSideEmit('notifications:deliver', batch);
  }

  private deliverLocally({ notification, recipients }: LiveNotificationBatch): void {
    const server = this.server;
    if (!server) return;
    const localRooms = server.adapter.rooms;
    for (const { userId, id } of recipients) {
      const room = rooms.user(userId);
      if (localRooms.has(room)) server.local.to(room).emit('notification:created', { id, ...notification });
    }
  }

  /**
   * Closes this instance's sockets only (not the other instances' ones, which the Redis adapter would reach too):
   * at shutdown, so their clients reconnect through the load balancer to an instance that stays.
   */
  disconnectLocalSockets(): void {
    this.server?.local.disconnectSockets(true);
  }

  /** Undefined before the gateway is initialised (nobody can be listening then). */
  get namespace(): LiveNamespace | undefined {
    return this.server;
  }
}
