import { BadRequestException, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, FindOptionsWhere, In, IsNull, Repository, SelectQueryBuilder } from 'typeorm';
import { timeOrderedUuid } from '../common/ids';
import { decodeCursor, Page, pageSize } from '../common/http/pagination';
import { hasRole, ROLES, type Role } from '../common/roles';
import { Database } from '../database/database.service';
import { runSql } from '../database/sql';
import { DomainEventBus } from '../events/domain-events';
import { plainExcerpt } from '../markdown/plain-text';
import { mayReadBody } from '../posts/post.view';
import { Post } from '../posts/post.entity';
import { Practice } from '../practices/entities/practice.entity';
import { WorkSession } from '../sessions/entities/session.entity';
import { Thread } from '../threads/thread.entity';
import { User as UserEntity, type User } from '../users/user.entity';
import { ListNotificationsQuery, MarkNotificationsReadDto } from './dto/notification.dto';
import { Notification, NotificationKind } from './notification.entity';
import { NotificationActorView, NotificationView } from './notification.view';

/** What a notification is about: the ids its row keeps. */
export interface NotificationData {
  kind: NotificationKind;
  actorId?: string | null;
  threadId?: string | null;
  postId?: string | null;
  seq?: number | null;
  sessionId?: string | null;
  practiceId?: string | null;
  flagId?: string | null;
}

/**
 * How recipients see what a notification is about, when the caller has it at hand (a new post: its author, its
 * thread's title, its body); without it, notify() reads it once the notification is committed.
 */
export interface NotificationSubject {
  actor: NotificationActorView | null;
  title: string;
  /** The post's Markdown, if the notification is about a post. */
  body: string | null;
  /** Whether the post is deleted or hidden, and who wrote it, for the readers who may not see it. */
  post: { deletedAt: Date | null; hiddenAt: Date | null; authorId: string } | null;
}

/** A person notified, and the id of the row written for them. */
export interface Notified {
  userId: string;
  notificationId: string;
}

/** Notifications of one event with the same view for each recipient but the row's id. */
export interface NotificationBatch {
  notification: Omit<NotificationView, 'id'>;
  recipients: Array<{ userId: string; id: string }>;
}

/** A reader who has read a thread up to a seq has read what notified them about its posts up to there. */
export const MARK_THREAD_NOTIFICATIONS_READ =
  'UPDATE "notifications" SET "readAt" = :at WHERE "userId" = :userId AND "threadId" = :threadId AND "seq" <= :seq AND "readAt" IS NULL';

const MODERATOR_ROLES = ROLES.filter((role) => hasRole(role, 'moderator'));

/** Rows per statement on SQLite: far below its limit of 32,766 parameters at 3 values a row. */
const ROWS_PER_INSERT = 500;
const SHARED_COLUMNS = ['kind', 'actorId', 'threadId', 'postId', 'seq', 'sessionId', 'practiceId', 'flagId', 'createdAt'] as const;
/** Their types on PostgreSQL, for the casts of NOTIFY_POSTGRES (an INSERT … SELECT does not infer a parameter's type). */
const POSTGRES_TYPES: Record<(typeof SHARED_COLUMNS)[number], string> = {
  kind: 'varchar',
  actorId: 'uuid',
  threadId: 'uuid',
  postId: 'uuid',
  seq: 'integer',
  sessionId: 'uuid',
  practiceId: 'uuid',
  flagId: 'uuid',
  createdAt: 'timestamptz',
};

/**
 * The statements' texts by number of rows, made once: the same text for the same count lets the driver reuse its
 * prepared statement (200 watchers: the same INSERT at every post).
 */
function bySize(make: (count: number) => string): (count: number) => string {
  const made = new Map<number, string>();
  return (count) => {
    let sql = made.get(count);
    if (sql === undefined) made.set(count, (sql = make(count)));
    return sql;
  };
}

const insertSql = bySize((count) => {
  const shared = SHARED_COLUMNS.map((column) => `:${column}`).join(', ');
  const rows = Array.from({ length: count }, (_, index) => `(:id${index}, :user${index}, ${shared})`);
  const columns = ['id', 'userId', ...SHARED_COLUMNS].map((column) => `"${column}"`).join(', ');
  return `INSERT INTO "notifications" (${columns}) VALUES ${rows.join(', ')}`;
});

/** Of the people named, those whose account is enabled (NOT works on SQLite's 0/1 and PostgreSQL's booleans alike). */
const activeAmongSql = bySize(
  (count) =>
    `SELECT "id", "role" FROM "users" WHERE NOT "disabled" AND "id" IN (${Array.from({ length: count }, (_, index) => `:r${index}`).join(', ')})`,
);

/**
 * How many posts a notification stands for: a `watched` one, the posts of others in its thread from its seq on that
 * are there to read (up to when it was read, if it was); any other, one. Counted on the (threadId, seq) index, for a
 * page of notifications only.
 */
const STANDS_FOR = `CASE WHEN "notification"."kind" = 'watched' THEN (SELECT COUNT(*) FROM "posts" "counted"
  WHERE "counted"."threadId" = "notification"."threadId" AND "counted"."seq" >= "notification"."seq"
    AND "counted"."authorId" <> "notification"."userId" AND "counted"."deletedAt" IS NULL AND "counted"."hiddenAt" IS NULL
    AND ("notification"."readAt" IS NULL OR "counted"."createdAt" <= "notification"."readAt")) ELSE 1 END`;

interface Recipient {
  id: string;
  role: Role;
}

/**
 * PostgreSQL: notify() in one statement, a round trip that a new post pays while it holds its thread's row lock. The
 * recipients travel as two arrays (a row id pregenerated for each), so the text, and its prepared statement, are the
 * same whatever their number; the rows are written for the enabled accounts among them, which the statement answers.
 */
const NOTIFY_POSTGRES = `WITH "recipients" AS (
  SELECT "given"."notificationId", "users"."id", "users"."role"
  FROM unnest(CAST(:notificationIds AS uuid[]), CAST(:userIds AS uuid[])) AS "given"("notificationId", "userId")
  JOIN "users" ON "users"."id" = "given"."userId" AND NOT "users"."disabled"
), "inserted" AS (
  INSERT INTO "notifications" (${['id', 'userId', ...SHARED_COLUMNS].map((column) => `"${column}"`).join(', ')})
  SELECT "notificationId", "id", ${SHARED_COLUMNS.map((column) => `CAST(:${column} AS ${POSTGRES_TYPES[column]})`).join(', ')}
  FROM "recipients"
)
SELECT "notificationId", "id", "role" FROM "recipients"`;

@Injectable()
export class NotificationsService {
  private readonly logger = new Logger(NotificationsService.name);

  constructor(
    @InjectRepository(Notification) private readonly notifications: Repository<Notification>,
    private readonly database: Database,
    private readonly events: DomainEventBus,
  ) {}

  /**
   * Notifies people in the caller's write transaction: one row each, never for a disabled account nor for the actor
   * themself, all in one multi-row INSERT (a few for thousands of people). Once the transaction commits, each
   * recipient's sockets hear `notification:created`, on every instance. Returns who was notified, with their row's id.
   */
  async notify(manager: EntityManager, recipientIds: readonly string[], data: NotificationData, subject?: NotificationSubject): Promise<Notified[]> {
    const actorId = data.actorId ?? null;
    const candidates = [...new Set(recipientIds)].filter((id) => id !== actorId);
    if (candidates.length === 0) return [];
    const createdAt = new Date();
    const shared = { kind: data.kind, actorId, ...aboutIds(data), createdAt: this.database.timestampParameter(createdAt) };
    const rows = this.database.isSqlite
      ? await this.insertSqlite(manager, candidates, shared, createdAt)
      : await runSql<Array<Recipient & { notificationId: string }>>(manager, NOTIFY_POSTGRES, {
          ...shared,
          userIds: candidates,
          notificationIds: candidates.map(() => timeOrderedUuid(createdAt.getTime())),
        });
    if (rows.length === 0) return [];
    this.database.afterCommit(manager, () => {
      this.announce(rows, data, createdAt, subject).catch((error: unknown) => this.logger.error(error));
    });
    return rows.map((row) => ({ userId: row.id, notificationId: row.notificationId }));
  }

  /** Everyone with an enabled account (a practice published): notify() keeps out the actor. */
  notifyEveryone(manager: EntityManager, data: NotificationData): Promise<Notified[]> {
    return this.notifyPeople(manager, { disabled: false }, data);
  }

  /** The moderators and admins (a new report in the moderation queue). */
  notifyModerators(manager: EntityManager, data: NotificationData): Promise<Notified[]> {
    return this.notifyPeople(manager, { role: In(MODERATOR_ROLES), disabled: false }, data);
  }

  private async notifyPeople(manager: EntityManager, where: FindOptionsWhere<UserEntity>, data: NotificationData): Promise<Notified[]> {
    const people = await manager.find(UserEntity, { where, select: { id: true } });
    return this.notify(
      manager,
      people.map((person) => person.id),
      data,
    );
  }

  /** SQLite, where a statement costs no round trip: the enabled accounts among the candidates, then their rows. */
  private async insertSqlite(
    manager: EntityManager,
    candidates: string[],
    shared: Record<string, unknown>,
    createdAt: Date,
  ): Promise<Array<Recipient & { notificationId: string }>> {
    const found: Recipient[] = [];
    for (let start = 0; start < candidates.length; start += ROWS_PER_INSERT) {
      const chunk = candidates.slice(start, start + ROWS_PER_INSERT);
      const parameters = Object.fromEntries(chunk.map((id, index) => [`r${index}`, id]));
      found.push(...(await runSql<Recipient[]>(manager, activeAmongSql(chunk.length), parameters)));
    }
    const rows = found.map((recipient) => ({ ...recipient, notificationId: timeOrderedUuid(createdAt.getTime()) }));
    for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
      const chunk = rows.slice(start, start + ROWS_PER_INSERT);
      const parameters: Record<string, unknown> = { ...shared };
      chunk.forEach((row, index) => {
        parameters[`id${index}`] = row.notificationId;
        parameters[`user${index}`] = row.id;
      });
      await runSql(manager, insertSql(chunk.length), parameters);
    }
    return rows;
  }

  private async announce(
    rows: Array<Recipient & { notificationId: string }>,
    data: NotificationData,
    createdAt: Date,
    given?: NotificationSubject,
  ): Promise<void> {
    const subject = given ?? (await this.readSubject(data));
    const base = (excerpt: string): Omit<NotificationView, 'id'> => ({
      kind: data.kind,
      createdAt: createdAt.toISOString(),
      readAt: null,
      actor: subject.actor,
      ...aboutIds(data),
      title: subject.title,
      excerpt,
      count: 1,
    });
    const excerpt = subject.body === null ? '' : plainExcerpt(subject.body);
    const readers = rows.filter((row) => !subject.post || mayReadBody(subject.post, row));
    const others = rows.filter((row) => subject.post && !mayReadBody(subject.post, row));
    const toRecipients = (list: typeof rows) => list.map((row) => ({ userId: row.id, id: row.notificationId }));
    if (readers.length > 0) this.events.emit('notifications.created', { notification: base(excerpt), recipients: toRecipients(readers) });
    if (others.length > 0) this.events.emit('notifications.created', { notification: base(''), recipients: toRecipients(others) });
  }

  /** The actor, title and post of a notification, read after its commit (callers on a hot path give them instead). */
  private async readSubject(data: NotificationData): Promise<NotificationSubject> {
    const manager = this.notifications.manager;
    const [actor, session, practice, thread, post] = await Promise.all([
      data.actorId ? manager.findOne(UserEntity, { where: { id: data.actorId }, select: { id: true, displayName: true } }) : null,
      data.sessionId ? manager.findOne(WorkSession, { where: { id: data.sessionId }, select: { id: true, title: true } }) : null,
      data.practiceId ? manager.findOne(Practice, { where: { id: data.practiceId }, select: { id: true, title: true } }) : null,
      data.threadId ? manager.findOne(Thread, { where: { id: data.threadId }, select: { id: true, title: true } }) : null,
      data.postId
        ? manager.findOne(Post, { where: { id: data.postId }, select: { id: true, body: true, authorId: true, deletedAt: true, hiddenAt: true } })
        : null,
    ]);
    return {
      actor: actor ? { id: actor.id, displayName: actor.displayName } : null,
      title: session?.title ?? practice?.title ?? thread?.title ?? '',
      body: post?.body ?? null,
      post,
    };
  }

  /** Joins what a notification is about: its actor, session, practice, thread and post, as raw columns. */
  private withSubjectColumns<T extends object>(
    builder: SelectQueryBuilder<T>,
    keys: Record<'actor' | 'thread' | 'post' | 'session' | 'practice', string>,
  ): SelectQueryBuilder<T> {
    return builder
      .leftJoin('users', 'actor', `actor.id = ${keys.actor}`)
      .leftJoin('work_sessions', 'session', `session.id = ${keys.session}`)
      .leftJoin('practices', 'practice', `practice.id = ${keys.practice}`)
      .leftJoin('threads', 'thread', `thread.id = ${keys.thread}`)
      .leftJoin('posts', 'post', `post.id = ${keys.post}`)
      .addSelect('actor.id', 'actorId')
      .addSelect('actor.displayName', 'actorName')
      .addSelect('session.title', 'sessionTitle')
      .addSelect('practice.title', 'practiceTitle')
      .addSelect('thread.title', 'threadTitle')
      .addSelect('post.body', 'postBody')
      .addSelect('post.authorId', 'postAuthorId')
      .addSelect('post.deletedAt', 'postDeletedAt')
      .addSelect('post.hiddenAt', 'postHiddenAt')
      .addSelect(STANDS_FOR, 'count');
  }

  /** The reader's notifications, newest first; `unread=true` for those not read yet. */
  async list(reader: User, query: ListNotificationsQuery): Promise<Page<NotificationView>> {
    const limit = pageSize(query);
    const after = decodeCursor(query.cursor, ['uuid']);
    const builder = this.inboxOf(reader)
      .orderBy('notification.id', 'DESC')
      .limit(limit + 1);
    if (query.unread) builder.andWhere('notification.readAt IS NULL');
    // ids are time-ordered (UUID v7), so the id alone orders by creation
    if (after) builder.andWhere('notification.id < :afterId', { afterId: after[0] });
    const views = await this.viewsOf(reader, builder);
    return Page.fromRows(
      views,
      limit,
      (view) => view,
      (view) => [view.id],
    );
  }

  /** The reader's unread notifications, newest first: for « what's new ». */
  unread(reader: User, limit: number): Promise<NotificationView[]> {
    return this.viewsOf(reader, this.inboxOf(reader).andWhere('notification.readAt IS NULL').orderBy('notification.id', 'DESC').limit(limit));
  }

  private inboxOf(reader: User): SelectQueryBuilder<Notification> {
    return this.notifications.createQueryBuilder('notification').where('notification.userId = :readerId', { readerId: reader.id });
  }

  private async viewsOf(reader: User, builder: SelectQueryBuilder<Notification>): Promise<NotificationView[]> {
    const { entities, raw } = await this.withSubjectColumns(builder, {
      actor: 'notification.actorId',
      thread: 'notification.threadId',
      post: 'notification.postId',
      session: 'notification.sessionId',
      practice: 'notification.practiceId',
    }).getRawAndEntities<SubjectRow>();
    return entities.map((notification, index) => toNotificationView(notification, subjectOf(raw[index]), reader, Number(raw[index].count)));
  }

  async unreadCount(reader: User): Promise<number> {
    return this.notifications.count({ where: { userId: reader.id, readAt: IsNull() } });
  }

  /** Marks the given notifications of the reader (or all of them) read; nothing is deleted. Answers the unread count. */
  async markRead(reader: User, dto: MarkNotificationsReadDto): Promise<number> {
    if (dto.ids !== undefined && dto.all !== undefined) throw new BadRequestException(['Envoyez soit ids, soit all, pas les deux.']);
    await this.database.write((manager) => {
      const where = dto.all ? { userId: reader.id, readAt: IsNull() } : { userId: reader.id, readAt: IsNull(), id: In(dto.ids ?? []) };
      return manager.update(Notification, where, { readAt: new Date() });
    });
    return this.unreadCount(reader);
  }

  /** Reading a thread up to a seq reads the notifications about its posts up to there, in the caller's transaction. */
  async markThreadRead(manager: EntityManager, reader: Pick<User, 'id'>, threadId: string, throughSeq: number): Promise<void> {
    const at = this.database.timestampParameter(new Date());
    await runSql(manager, MARK_THREAD_NOTIFICATIONS_READ, { userId: reader.id, threadId, seq: throughSeq, at });
  }
}

/** The ids a notification is about, the absent ones null: what its row and its view both carry. */
function aboutIds(data: NotificationData) {
  return {
    threadId: data.threadId ?? null,
    postId: data.postId ?? null,
    seq: data.seq ?? null,
    sessionId: data.sessionId ?? null,
    practiceId: data.practiceId ?? null,
    flagId: data.flagId ?? null,
  };
}

interface SubjectRow {
  actorId: string | null;
  actorName: string | null;
  sessionTitle: string | null;
  practiceTitle: string | null;
  threadTitle: string | null;
  postBody: string | null;
  postAuthorId: string | null;
  postDeletedAt: Date | string | null;
  postHiddenAt: Date | string | null;
  count: number | string;
}

function subjectOf(row: SubjectRow): NotificationSubject {
  return {
    actor: row.actorId ? { id: row.actorId, displayName: row.actorName ?? '' } : null,
    title: row.sessionTitle ?? row.practiceTitle ?? row.threadTitle ?? '',
    body: row.postBody,
    post:
      row.postAuthorId === null
        ? null
        : { authorId: row.postAuthorId, deletedAt: row.postDeletedAt ? new Date(0) : null, hiddenAt: row.postHiddenAt ? new Date(0) : null },
  };
}

export function toNotificationView(
  notification: Notification,
  subject: NotificationSubject,
  reader: Pick<User, 'id' | 'role'>,
  count: number,
): NotificationView {
  const visible = subject.body !== null && (!subject.post || mayReadBody(subject.post, reader));
  return {
    id: notification.id,
    kind: notification.kind,
    createdAt: notification.createdAt.toISOString(),
    readAt: notification.readAt ? notification.readAt.toISOString() : null,
    actor: subject.actor,
    threadId: notification.threadId,
    postId: notification.postId,
    seq: notification.seq,
    sessionId: notification.sessionId,
    practiceId: notification.practiceId,
    flagId: notification.flagId,
    title: subject.title,
    excerpt: visible ? plainExcerpt(subject.body!) : '',
    count,
  };
}
