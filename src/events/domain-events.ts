import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { NotificationBatch } from '../notifications/notifications.service';
import type { ModerationCountShape } from '../common/http-views';
import type { PollView } from '../polls/poll.view';
import type { PostView } from '../posts/post.view';
import type { SessionView } from '../sessions/session.view';
import type { ThreadView } from '../threads/thread.view';
import type { ThreadActivity } from '../live/live-events';
import type { TopicView } from '../topics/topic.view';

/**
 * What services announce once a change is committed. The live broadcaster listens to these, so posts, sessions,
 * topics and polls changed over HTTP or live reach the rooms by one path.
 */
export interface DomainEvents {
  'post.created': PostView;
  'post.updated': PostView;
  'post.deleted': PostView;
  'session.updated': SessionView;
  'topic.updated': TopicView;
  'poll.updated': PollView;
  'user.disabled': { userId: string };
  'notifications.created': NotificationBatch;
  'thread.activity': ThreadActivity;
  'thread.created': ThreadView;
  'moderation.count': ModerationCountShape;
  /** A file was removed from a session (DELETE /api/attachments/:id): the session's room hears it again. */
  'session.attachment-removed': { sessionId: string };
  /** The account's token version was raised (password, disable, enable): copies of the account kept elsewhere are stale. */
  'user.tokens-revoked': { userId: string };
}

export type DomainEventName = keyof DomainEvents;

@Injectable()
export class DomainEventBus {
  constructor(private readonly emitter: EventEmitter2) {}

  emit<K extends DomainEventName>(name: K, payload: DomainEvents[K]): void {
    this.emitter.emit(name, payload);
  }
}
