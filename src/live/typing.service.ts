import { ForbiddenException, Injectable } from '@nestjs/common';
import { RateLimitedException } from '../common/http/rate-limited.exception';
import { InjectThrottlerStorage, ThrottlerStorage } from '@nestjs/throttler';
import { LiveServer, rooms, type LiveSocket } from './live-server';

/** At most one `typing` broadcast per person and thread in this window; the extra events are acknowledged silently. */
export const TYPING_BROADCAST_INTERVAL_MS = 2_000;
/** Beyond this many `typing` events per person in TYPING_RATE_WINDOW_MS the answer is rate_limited. */
export const TYPING_RATE_LIMIT = 30;
export const TYPING_RATE_WINDOW_MS = 10_000;

/**
 * "Someone is typing" notices. Counts are kept in the throttler's storage, like the post rate limit, so they hold
 * across instances when that storage is shared.
 */
@Injectable()
export class TypingService {
  constructor(
    @InjectThrottlerStorage() private readonly storage: ThrottlerStorage,
    private readonly live: LiveServer,
  ) {}

  /**
   * The typist's socket must have subscribed to the thread: it proves the thread exists and was readable without a
   * database read per keystroke. The notice goes to the thread's room except the typist's own sockets (all tabs),
   * volatile: a connection still busy sending skips it rather than queueing a notice that is stale once it arrives
   * (the next keystroke sends another).
   */
  async typing(socket: LiveSocket, threadId: string): Promise<void> {
    const { user } = socket.data;
    if (!socket.rooms.has(rooms.thread(threadId))) throw new ForbiddenException('Abonnez-vous au fil (thread:subscribe) avant d’envoyer typing.');
    const rate = await this.storage.increment(
      `live-typing:${user.id}`,
      TYPING_RATE_WINDOW_MS,
      TYPING_RATE_LIMIT,
      TYPING_RATE_WINDOW_MS,
      'live-typing',
    );
    if (rate.isBlocked) {
      throw new RateLimitedException(
        `Trop d’indications de saisie : ${TYPING_RATE_LIMIT} au plus toutes les ${TYPING_RATE_WINDOW_MS / 1000} secondes.`,
        rate.timeToBlockExpire,
      );
    }
    const throttle = await this.storage.increment(
      `live-typing:${user.id}:${threadId}`,
      TYPING_BROADCAST_INTERVAL_MS,
      1,
      TYPING_BROADCAST_INTERVAL_MS,
      'live-typing-broadcast',
    );
    if (throttle.isBlocked) return;
    this.live.namespace
      ?.to(rooms.thread(threadId))
      .except(rooms.user(user.id))
      .volatile.emit('typing', { threadId, user: { id: user.id, displayName: user.displayName } });
  }
}
