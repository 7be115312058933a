import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Database } from '../database/database.service';
import { runExpandedSql, runSql } from '../database/sql';
import { DomainEventBus } from '../events/domain-events';
import { mentionedHandles } from '../markdown/markdown';
import { MARK_THREAD_NOTIFICATIONS_READ, NotificationsService, NotificationSubject } from '../notifications/notifications.service';
import type { Post } from '../posts/post.entity';
import type { User } from '../users/user.entity';
import { MARK_READ } from './read-markers';
import { WATCH_BY_DEFAULT, WATCHERS_TO_NOTIFY, WatchesService } from './watches.service';

/** What authorPosted writes, before it reads the watchers to notify. */
const AUTHOR_POSTED_WRITES = [WATCH_BY_DEFAULT, MARK_READ, MARK_THREAD_NOTIFICATIONS_READ];
/**
 * PostgreSQL: the same in one round trip while the thread's row is locked. The SELECT sees the rows as they were
 * before the statement, which changes nothing here: the author is never among the watchers it answers.
 */
const AUTHOR_POSTED_POSTGRES = `WITH "watched" AS (${WATCH_BY_DEFAULT}), "read" AS (${MARK_READ}), "notificationsRead" AS (${MARK_THREAD_NOTIFICATIONS_READ}) ${WATCHERS_TO_NOTIFY}`;

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
 * notifications, even after a crash: the author watches the thread and has read it up to the post; people mentioned get `mention`, the author of
 * the post replied to gets `reply` (unless they muted the thread), everyone watching gets `watched` unless an unread
 * `watched` notification about the thread already stands for the posts since; at most one notification per person
 * and post, the strongest reason winning. Lists hear `thread:activity` once committed.
 */
@Injectable()
export class PostFollowUp {
  constructor(
    private readonly database: Database,
    private readonly notifications: NotificationsService,
    private readonly watches: WatchesService,
    private readonly events: DomainEventBus,
  ) {}

  /** The people a Markdown body mentions who have an account, by handle: for the cooked HTML's links and the notifications. */
  async mentionedPeople(manager: EntityManager, body: string): Promise<Map<string, string>> {
    const handles = mentionedHandles(body);
    if (handles.length === 0) return new Map();
    const rows = await runExpandedSql<Array<{ id: string; handle: string }>>(
      manager,
      'SELECT "id", "handle" FROM "users" WHERE "handle" IN (:...handles)',
      {
        handles,
      },
    );
    return new Map(rows.map((row) => [row.handle, row.id]));
  }

  async posted(
    manager: EntityManager,
    post: PostFacts & { createdAt: Date },
    thread: PostedThread,
    author: User,
    parentAuthorId: string | null,
    mentionedPeople: Map<string, string>,
  ): Promise<void> {
    const watchers = await this.authorPosted(manager, post, author.id);
    const subject = subjectOf(post, thread, author);
    const about = { actorId: author.id, threadId: post.threadId, postId: post.id, seq: post.seq };
    const mentions = await this.notifications.notify(manager, [...mentionedPeople.values()], { kind: 'mention', ...about }, subject);
    const mentioned = new Set(mentions.map((notified) => notified.userId));
    const repliedTo =
      parentAuthorId && !mentioned.has(parentAuthorId) && (await this.watches.levelOf(manager, parentAuthorId, post.threadId)) !== 'muted'
        ? parentAuthorId
        : null;
    if (repliedTo) await this.notifications.notify(manager, [repliedTo], { kind: 'reply', ...about }, subject);
    const watching = watchers.filter((userId) => !mentioned.has(userId) && userId !== repliedTo);
    // each notification written stands for the thread's next posts until read (a trigger of the database holds it)
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
   * A post's author watches the thread by default and has read it up to their post (their marker and the thread's
   * notifications up to there: what they answered below is not news to them); answers who the post notifies for
   * watching the thread.
   */
  private async authorPosted(manager: EntityManager, post: PostFacts, authorId: string): Promise<string[]> {
    const parameters = { userId: authorId, authorId, threadId: post.threadId, seq: post.seq, at: this.database.timestampParameter(new Date()) };
    let watchers: Array<{ userId: string }>;
    if (this.database.isSqlite) {
      for (const statement of AUTHOR_POSTED_WRITES) await runSql(manager, statement, parameters);
      watchers = await runSql(manager, WATCHERS_TO_NOTIFY, parameters);
    } else watchers = await runSql(manager, AUTHOR_POSTED_POSTGRES, parameters);
    return watchers.map((row) => row.userId);
  }

  /**
   * An edit notifies only the people it newly mentions, and nobody while the post is hidden or deleted (those
   * mentioned could not read it).
   */
  async edited(
    manager: EntityManager,
    post: PostFacts,
    previousBody: string,
    thread: Pick<PostedThread, 'title'>,
    editor: User,
    mentionedPeople: Map<string, string>,
  ): Promise<void> {
    if (post.deletedAt || post.hiddenAt) return;
    const before = new Set(mentionedHandles(previousBody));
    const recipients = [...mentionedPeople].filter(([handle]) => !before.has(handle)).map(([, id]) => id);
    if (recipients.length === 0) return;
    await this.notifications.notify(
      manager,
      recipients,
      { kind: 'mention', actorId: editor.id, threadId: post.threadId, postId: post.id, seq: post.seq },
      subjectOf(post, thread, editor),
    );
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
