import type { EntityManager } from 'typeorm';
import { runSql } from '../database/sql';

/** Moves a read marker forward only: a late or repeated mark never takes it back. */
export const MARK_READ =
  'INSERT INTO "thread_reads" ("userId", "threadId", "lastReadSeq") VALUES (:userId, :threadId, :seq) ' +
  'ON CONFLICT ("userId", "threadId") DO UPDATE SET "lastReadSeq" = excluded."lastReadSeq", "updatedAt" = excluded."updatedAt" ' +
  'WHERE excluded."lastReadSeq" > "thread_reads"."lastReadSeq"';

/**
 * Every thread (of a topic, or all of them) read up to its last post, in one statement; nothing is deleted. The
 * person's id comes from a join rather than a bare parameter, which PostgreSQL would type as text, not uuid.
 */
export function markThreadsReadSql(scope: 'all' | 'topic'): string {
  return (
    'INSERT INTO "thread_reads" ("userId", "threadId", "lastReadSeq") SELECT "u"."id", "t"."id", "t"."lastSeq" ' +
    'FROM "threads" "t" INNER JOIN "users" "u" ON "u"."id" = :userId ' +
    `WHERE "t"."lastSeq" > 0${scope === 'topic' ? ' AND "t"."topicId" = :topicId' : ''} ` +
    'ON CONFLICT ("userId", "threadId") DO UPDATE SET "lastReadSeq" = excluded."lastReadSeq", "updatedAt" = excluded."updatedAt" ' +
    'WHERE excluded."lastReadSeq" > "thread_reads"."lastReadSeq"'
  );
}

/**
 * A newcomer starts with everything older than their account read, so the first day is not a wall of unread: their
 * marker stands at the last post of every thread there is. Threads opened later have no row, and count from seq 0.
 */
export async function startWithEverythingRead(manager: EntityManager, userId: string): Promise<void> {
  await runSql(manager, markThreadsReadSql('all'), { userId });
}
