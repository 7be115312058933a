import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { AppConfig } from '../config/app-config';
import type { DomainEvents } from '../events/domain-events';
import { LiveServer, rooms } from './live-server';

/**
 * The one listener that turns committed domain events into live events. Each broadcast is one `to(room).emit`, which
 * socket.io encodes once for the whole room (and, with the Redis adapter, publishes once for every instance), never
 * a loop over sockets. Changes made over HTTP and live come through here alike. Listener errors are logged by the
 * event emitter and never reach the service that emitted.
 */
@Injectable()
export class LiveBroadcaster {
  constructor(
    private readonly live: LiveServer,
    private readonly config: AppConfig,
  ) {}

  @OnEvent('post.created')
  postCreated(post: DomainEvents['post.created']): void {
    this.live.namespace?.to(rooms.thread(post.threadId)).emit('post:created', post);
  }

  @OnEvent('post.updated')
  postUpdated(post: DomainEvents['post.updated']): void {
    this.live.namespace?.to(rooms.thread(post.threadId)).emit('post:updated', post);
  }

  @OnEvent('post.deleted')
  postDeleted(post: DomainEvents['post.deleted']): void {
    this.live.namespace?.to(rooms.thread(post.threadId)).emit('post:deleted', post);
  }

  @OnEvent('session.updated')
  sessionUpdated(session: DomainEvents['session.updated']): void {
    this.live.namespace?.to(rooms.session(session.id)).emit('session:updated', session);
  }

  @OnEvent('poll.updated')
  pollUpdated({ poll, voters }: DomainEvents['poll.updated']): void {
    const namespace = this.live.namespace;
    if (!namespace) return;
    if (!voters || voters.userIds.length === 0) {
      namespace.to(rooms.session(poll.sessionId)).emit('poll:updated', poll);
      return;
    }
    // counts hidden until one votes: those who voted get them, the rest of the room gets the poll without them
    const voterRooms = voters.userIds.map(rooms.user);
    namespace.to(rooms.session(poll.sessionId)).except(voterRooms).emit('poll:updated', poll);
    namespace.to(voterRooms).emit('poll:updated', voters.poll);
  }

  @OnEvent('topic.updated')
  topicUpdated(topic: DomainEvents['topic.updated']): void {
    this.live.namespace?.emit('topic:updated', topic);
  }

  /**
   * To everyone but the thread's own room: every list of topics and threads follows counts and order live, while the
   * sockets in the thread hear the post itself (`post:created`), so a busy session sends each member one frame a post,
   * not two (no list is shown beside a thread).
   */
  @OnEvent('thread.activity')
  threadActivity(activity: DomainEvents['thread.activity']): void {
    this.live.namespace?.except(rooms.thread(activity.threadId)).emit('thread:activity', activity);
  }

  @OnEvent('thread.created')
  threadCreated(thread: DomainEvents['thread.created']): void {
    this.live.namespace?.emit('thread:created', thread);
  }

  @OnEvent('notifications.created')
  notificationsCreated(batch: DomainEvents['notifications.created']): void {
    this.live.deliverNotifications(batch);
  }

  @OnEvent('moderation.count')
  moderationCount(count: DomainEvents['moderation.count']): void {
    this.live.namespace?.to(rooms.moderators).emit('moderation:count', count);
  }

  /** The other instances (there are some only with Redis) drop their copy of the account: older tokens fail there at once. */
  @OnEvent('user.tokens-revoked')
  tokensRevoked({ userId }: DomainEvents['user.tokens-revoked']): void {
    if (this.config.redisUrl) this.live.namespace?.serverSideEmit('user:tokens-revoked', userId);
  }

  /** Works across instances with the Redis adapter: every socket of that person, wherever it is, is closed. */
  @OnEvent('user.disabled')
  userDisabled({ userId }: DomainEvents['user.disabled']): void {
    this.live.namespace?.in(rooms.user(userId)).disconnectSockets(true);
  }
}
