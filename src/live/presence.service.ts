import { Injectable, Logger } from '@nestjs/common';
import type { LiveUserSummary } from './live-events';
import { LiveServer, rooms, type LiveSocket } from './live-server';

/**
 * Who is in a session now. The source of truth is the session's socket.io room itself: after each change the list
 * is read with `fetchSockets()` (which asks every instance when the Redis adapter is on) and deduplicated by user
 * id, so two tabs count once and a person stays present while any of their sockets remains. No process-local map.
 */
@Injectable()
export class PresenceService {
  private readonly logger = new Logger('LivePresence');

  constructor(private readonly live: LiveServer) {}

  /** Joins the socket to the session's room and announces the new presence; returns it. */
  async join(socket: LiveSocket, sessionId: string): Promise<LiveUserSummary[]> {
    await socket.join(rooms.session(sessionId));
    if (!socket.data.sessionIds.includes(sessionId)) socket.data.sessionIds.push(sessionId);
    return this.announce(sessionId);
  }

  async leave(socket: LiveSocket, sessionId: string): Promise<void> {
    socket.data.sessionIds = socket.data.sessionIds.filter((id) => id !== sessionId);
    if (!socket.rooms.has(rooms.session(sessionId))) return;
    await socket.leave(rooms.session(sessionId));
    await this.announce(sessionId);
  }

  /** socket.io has already taken the socket out of its rooms when 'disconnect' fires; its data says which sessions. */
  async disconnected(socket: LiveSocket): Promise<void> {
    const sessionIds = socket.data.sessionIds ?? [];
    socket.data.sessionIds = [];
    await Promise.all(
      sessionIds.map((sessionId) =>
        this.announce(sessionId).catch((error: unknown) => this.logger.error({ err: error, sessionId }, 'Presence update after a disconnect failed')),
      ),
    );
  }

  /** Everyone with a socket in the session's room, each person once, by display name. */
  async usersIn(sessionId: string): Promise<LiveUserSummary[]> {
    const namespace = this.live.namespace;
    if (!namespace) return [];
    const sockets = await namespace.in(rooms.session(sessionId)).fetchSockets();
    const byId = new Map<string, LiveUserSummary>();
    for (const { data } of sockets) if (data.user) byId.set(data.user.id, data.user);
    return [...byId.values()].sort((a, b) => a.displayName.localeCompare(b.displayName, 'fr') || a.id.localeCompare(b.id));
  }

  private async announce(sessionId: string): Promise<LiveUserSummary[]> {
    const users = await this.usersIn(sessionId);
    this.live.namespace?.to(rooms.session(sessionId)).emit('presence:update', { sessionId, users });
    return users;
  }
}
