import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Database } from '../database/database.service';
import { runExpandedSql } from '../database/sql';
import { DomainEventBus } from '../events/domain-events';
import { mentionedHandles, renderMarkdown } from '../markdown/markdown';
import { NotificationsService, NotificationSubject } from '../notifications/notifications.service';
import type { Post } from '../posts/post.entity';
import type { User } from '../users/user.entity';
import { WatchesService } from './watches.service';

/** The thread as the post's transaction left it (its counters already counting the post). */
export interface PostedThread {
  title: string;
  topicId: string | null;
  lastSeq: number;
  postCount: number;
}

type PostFacts = Pick<Post, 'id' | 'threadId' | 'seq' | 'body' | 'authorId' | 'deletedAt' | 'hiddenAt'>;

/**
 * What a post sets off, inside the post's own transaction, so that a post acknowledged is never missing its
 * notifications, even after a crash: the author watches the thread; people mentioned get `mention`, the author of
 * the post replied to gets `reply` (unless they muted the thread), everyone watching gets `watched`; one
 * notification per person and post, the strongest reason winning. Lists hear `thread:activity` once committed.
 */
@Injectable()
export class PostFollowUp {
  constructor(
    private readonly database: Database,
    private readonly notifications: NotificationsService,
    private readonly watches: WatchesService,
    private readonly events: DomainEventBus,
  ) {}

  async posted(
    manager: EntityManager,
    post: PostFacts & { createdAt: Date },
    thread: PostedThread,
    author: User,
    parentAuthorId: string | null,
  ): Promise<void> {
    await this.watches.watchByDefault(manager, author.id, post.threadId);
    const subject = subjectOf(post, thread, author);
    const about = { actorId: author.id, threadId: post.threadId, postId: post.id, seq: post.seq };
    const mentioned = new Set(
      await this.notifications.notify(manager, await this.mentionedIds(manager, post.body), { kind: 'mention', ...about }, subject),
    );
    const followers = await this.watches.followersOf(manager, post.threadId);
    const repliedTo = parentAuthorId && !mentioned.has(parentAuthorId) && !followers.muted.has(parentAuthorId) ? parentAuthorId : null;
    if (repliedTo) await this.notifications.notify(manager, [repliedTo], { kind: 'reply', ...about }, subject);
    const watching = followers.watching.filter((userId) => !mentioned.has(userId) && userId !== repliedTo);
    await this.notifications.notify(manager, watching, { kind: 'watched', ...about }, subject);
    this.database.afterCommit(manager, () =>
      this.events.emit('thread.activity', {
        threadId: post.threadId,
        topicId: thread.topicId,
        lastSeq: thread.lastSeq,
        postCount: thread.postCount,
        lastPostAt: post.createdAt.toISOString(),
        authorId: author.id,
      }),
    );
  }

  /**
   * An edit notifies only the people it newly mentions, and nobody while the post is hidden or deleted (those
   * mentioned could not read it).
   */
  async edited(manager: EntityManager, post: PostFacts, previousBody: string, thread: Pick<PostedThread, 'title'>, editor: User): Promise<void> {
    if (post.deletedAt || post.hiddenAt) return;
    const before = new Set(mentionedHandles(previousBody));
    const added = mentionedHandles(post.body).filter((handle) => !before.has(handle));
    if (added.length === 0) return;
    const recipients = await this.idsOfHandles(manager, added);
    await this.notifications.notify(
      manager,
      recipients,
      { kind: 'mention', actorId: editor.id, threadId: post.threadId, postId: post.id, seq: post.seq },
      subjectOf(post, thread, editor),
    );
  }

  /** A post's body cooked into safe HTML, where the `@handle` of a person who exists becomes a link to them. */
  async cook(manager: EntityManager, body: string): Promise<string> {
    const handles = mentionedHandles(body);
    if (handles.length === 0) return renderMarkdown(body);
    const rows = await runExpandedSql<Array<{ handle: string }>>(manager, 'SELECT "handle" FROM "users" WHERE "handle" IN (:...handles)', {
      handles,
    });
    const known = new Set(rows.map((row) => row.handle));
    return renderMarkdown(body, (handle) => known.has(handle));
  }

  private async mentionedIds(manager: EntityManager, body: string): Promise<string[]> {
    const handles = mentionedHandles(body);
    return handles.length === 0 ? [] : this.idsOfHandles(manager, handles);
  }

  private async idsOfHandles(manager: EntityManager, handles: string[]): Promise<string[]> {
    const rows = await runExpandedSql<Array<{ id: string }>>(manager, 'SELECT "id" FROM "users" WHERE "handle" IN (:...handles)', { handles });
    return rows.map((row) => row.id);
  }
}

function subjectOf(post: PostFacts, thread: Pick<PostedThread, 'title'>, actor: User): NotificationSubject {
  return {
    actor: { id: actor.id, displayName: actor.displayName },
    title: thread.title,
    body: post.body,
    post: { authorId: post.authorId, deletedAt: post.deletedAt, hiddenAt: post.hiddenAt },
  };
}
