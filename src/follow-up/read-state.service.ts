import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RevisionCache } from '../common/revision-cache';
import { Database } from '../database/database.service';
import { runExpandedSql, runSql } from '../database/sql';
import { NotificationsService } from '../notifications/notifications.service';
import { MARK_READ, markThreadsReadSql } from './read-markers';
import { DEFAULT_WATCH_LEVEL, type WatchLevel } from './thread-watch.entity';
import type { User } from '../users/user.entity';

/** What a reader sees of their own on a thread: how far they read, what is left, how closely they follow it. */
export interface ReaderThreadFields {
  lastReadSeq: number;
  unreadCount: number;
}

/**
 * Posts of others after the marker, not deleted nor hidden. The count runs on the (threadId, seq) index from the
 * marker on, and only for threads with something after it, so it costs what is unread, not the thread's length.
 */
const UNREAD_AFTER_MARKER =
  'CASE WHEN "t"."lastSeq" > COALESCE("r"."lastReadSeq", 0) THEN (SELECT COUNT(*) FROM "posts" "p" WHERE "p"."threadId" = "t"."id" ' +
  'AND "p"."seq" > COALESCE("r"."lastReadSeq", 0) AND "p"."authorId" <> :readerId AND "p"."deletedAt" IS NULL AND "p"."hiddenAt" IS NULL) ELSE 0 END';
const READS_OF_READER = 'LEFT JOIN "thread_reads" "r" ON "r"."threadId" = "t"."id" AND "r"."userId" = :readerId';

/**
 * What a reader's unread counts per topic are made from, as counters that only grow while nothing else changes: the
 * topics' revision (bumped when a thread is opened in a topic, moved or removed), the sum of the topic threads' post
 * revisions (bumped by every post written, edited, hidden or deleted) and the reader's markers (a row per thread read,
 * each only moving forward). Equal values mean equal counts; a scan of the threads' rows, not of the posts unread.
 */
const UNREAD_COUNTS_REVISION =
  'SELECT (SELECT "value" FROM "revisions" WHERE "view" = \'topics\') AS "topics", ' +
  '(SELECT COALESCE(SUM("postsRevision"), 0) FROM "threads" WHERE "topicId" IS NOT NULL) AS "posts", ' +
  '(SELECT COUNT(*) FROM "thread_reads" WHERE "userId" = :readerId) AS "reads", ' +
  '(SELECT COALESCE(SUM("lastReadSeq"), 0) FROM "thread_reads" WHERE "userId" = :readerId) AS "readSeqs"';
/** Per reader, a map of a few topics: some hundred bytes each. */
const UNREAD_COUNTS_KEPT_BYTES = 4 * 2 ** 20;

/**
 * Read state per person and thread: the highest seq read (only forward, clamped to the thread's last post), « mark
 * all read » per topic and everywhere, and the reader's unread counts for thread pages, thread lists and topics.
 */
@Injectable()
export class ReadStateService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly database: Database,
    private readonly notifications: NotificationsService,
  ) {}

  private readonly topicCounts = new RevisionCache<Map<string, number>>(UNREAD_COUNTS_KEPT_BYTES, (counts) => 100 + 60 * counts.size);

  /** The one path for HTTP (`PUT /api/threads/:id/read`) and live (`thread:read`). */
  async markRead(reader: User, threadId: string, seq: number): Promise<{ lastReadSeq: number }> {
    return this.database.write(async (manager) => {
      const [thread] = await runSql<Array<{ lastSeq: number }>>(manager, 'SELECT "lastSeq" FROM "threads" WHERE "id" = :threadId', { threadId });
      if (!thread) throw new NotFoundException('Fil introuvable.');
      const clamped = Math.min(seq, Number(thread.lastSeq));
      await runSql(manager, MARK_READ, { userId: reader.id, threadId, seq: clamped });
      const [row] = await runSql<Array<{ lastReadSeq: number }>>(
        manager,
        'SELECT "lastReadSeq" FROM "thread_reads" WHERE "userId" = :userId AND "threadId" = :threadId',
        { userId: reader.id, threadId },
      );
      const lastReadSeq = Number(row.lastReadSeq);
      await this.notifications.markThreadRead(manager, reader, threadId, lastReadSeq);
      return { lastReadSeq };
    });
  }

  async markTopicRead(reader: User, topicId: string): Promise<void> {
    await this.database.write(async (manager) => {
      const [topic] = await runSql<unknown[]>(manager, 'SELECT "id" FROM "topics" WHERE "id" = :topicId', { topicId });
      if (!topic) throw new NotFoundException('Thème introuvable.');
      await runSql(manager, markThreadsReadSql('topic'), { userId: reader.id, topicId });
    });
  }

  async markAllRead(reader: User): Promise<void> {
    await this.database.write((manager) => runSql(manager, markThreadsReadSql('all'), { userId: reader.id }));
  }

  /** The reader's fields of each thread named (a thread list, a thread page), in one query. */
  async threadFields(readerId: string, threadIds: string[]): Promise<Map<string, ReaderThreadFields>> {
    if (threadIds.length === 0) return new Map();
    const rows = await this.read<{ threadId: string; lastReadSeq: number | string | null; unreadCount: number | string }>(
      `SELECT "t"."id" AS "threadId", COALESCE("r"."lastReadSeq", 0) AS "lastReadSeq", ${UNREAD_AFTER_MARKER} AS "unreadCount" ` +
        `FROM "threads" "t" ${READS_OF_READER} WHERE "t"."id" IN (:...threadIds)`,
      { readerId, threadIds },
    );
    return new Map(rows.map((row) => [row.threadId, { lastReadSeq: Number(row.lastReadSeq), unreadCount: Number(row.unreadCount) }]));
  }

  /** The reader's fields of the thread on its own page, with their watch level, in one query (the page is the most read route). */
  async pageFields(readerId: string, threadId: string): Promise<ReaderThreadFields & { watchLevel: WatchLevel }> {
    const [row] = await this.read<{ lastReadSeq: number | string | null; unreadCount: number | string; level: WatchLevel | null }>(
      `SELECT COALESCE("r"."lastReadSeq", 0) AS "lastReadSeq", ${UNREAD_AFTER_MARKER} AS "unreadCount", "w"."level" AS "level" ` +
        `FROM "threads" "t" ${READS_OF_READER} ` +
        'LEFT JOIN "thread_watches" "w" ON "w"."threadId" = "t"."id" AND "w"."userId" = :readerId WHERE "t"."id" = :threadId',
      { readerId, threadId },
    );
    return {
      lastReadSeq: Number(row?.lastReadSeq ?? 0),
      unreadCount: Number(row?.unreadCount ?? 0),
      watchLevel: row?.level ?? DEFAULT_WATCH_LEVEL,
    };
  }

  /**
   * Unread posts per topic for the reader (topics with none are absent), on every topic list. Counting costs what the
   * reader has not read, thousands of rows for someone back after weeks, so the counts are kept per reader under
   * UNREAD_COUNTS_REVISION, which moves whenever one of them may.
   */
  async topicUnreadCounts(readerId: string): Promise<Map<string, number>> {
    const [revision] = await runSql<Record<string, number | string | null>[]>(this.dataSource.manager, UNREAD_COUNTS_REVISION, { readerId });
    return this.topicCounts.getOrMake(readerId, Object.values(revision).map(Number).join(':'), async () => {
      const rows = await this.read<{ topicId: string; unread: number | string }>(
        `SELECT "topicId", SUM("unread") AS "unread" FROM (SELECT "t"."topicId" AS "topicId", ${UNREAD_AFTER_MARKER} AS "unread" ` +
          `FROM "threads" "t" ${READS_OF_READER} WHERE "t"."topicId" IS NOT NULL AND "t"."lastSeq" > COALESCE("r"."lastReadSeq", 0)) "counts" ` +
          'GROUP BY "topicId"',
        { readerId },
      );
      return new Map(rows.filter((row) => Number(row.unread) > 0).map((row) => [row.topicId, Number(row.unread)]));
    });
  }

  /** Threads with posts the reader has not read, most recent activity first: for « what's new ». */
  async unreadThreadIds(readerId: string, limit: number): Promise<Map<string, ReaderThreadFields>> {
    const rows = await this.read<{ threadId: string; lastReadSeq: number | string | null; unreadCount: number | string }>(
      `SELECT "threadId", "lastReadSeq", "unreadCount" FROM (SELECT "t"."id" AS "threadId", "t"."lastActivityAt" AS "activity", ` +
        `COALESCE("r"."lastReadSeq", 0) AS "lastReadSeq", ${UNREAD_AFTER_MARKER} AS "unreadCount" FROM "threads" "t" ${READS_OF_READER} ` +
        'WHERE "t"."lastSeq" > COALESCE("r"."lastReadSeq", 0)) "candidates" WHERE "unreadCount" > 0 ORDER BY "activity" DESC, "threadId" DESC LIMIT :limit',
      { readerId, limit },
    );
    return new Map(rows.map((row) => [row.threadId, { lastReadSeq: Number(row.lastReadSeq), unreadCount: Number(row.unreadCount) }]));
  }

  private read<T>(sql: string, parameters: Record<string, unknown>): Promise<T[]> {
    return runExpandedSql<T[]>(this.dataSource.manager, sql, parameters);
  }
}
