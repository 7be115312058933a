import { Injectable, NotFoundException } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Database } from '../database/database.service';
import { runSql } from '../database/sql';
import type { User } from '../users/user.entity';
import { DEFAULT_WATCH_LEVEL, WatchLevel } from './thread-watch.entity';

/** The author of a thread and anyone who posts in it watch it, unless they chose a level of their own. */
export const WATCH_BY_DEFAULT =
  'INSERT INTO "thread_watches" ("userId", "threadId", "level") VALUES (:userId, :threadId, \'watching\') ON CONFLICT ("userId", "threadId") DO NOTHING';
const SET_LEVEL =
  'INSERT INTO "thread_watches" ("userId", "threadId", "level") VALUES (:userId, :threadId, :level) ' +
  'ON CONFLICT ("userId", "threadId") DO UPDATE SET "level" = excluded."level"';
/**
 * The people a new post in the thread notifies as watchers: those at `watching` (the post's author aside) with no
 * unread `watched` notification about it already (that one stands for every post since). In a busy thread followed
 * by people who are away, this is answered by the index and finds nobody, so a post costs the same as in a thread
 * nobody follows.
 */
export const WATCHERS_TO_NOTIFY =
  'SELECT "userId" FROM "thread_watches" WHERE "threadId" = :threadId AND "level" = \'watching\' AND "unreadWatchedId" IS NULL AND "userId" <> :authorId';
const LEVEL = 'SELECT "level" FROM "thread_watches" WHERE "userId" = :userId AND "threadId" = :threadId';

/** Watch levels per person and thread: `watching` (every post), `normal` (mentions and direct replies), `muted` (mentions only). */
@Injectable()
export class WatchesService {
  constructor(private readonly database: Database) {}

  async setLevel(reader: User, threadId: string, level: WatchLevel): Promise<{ level: WatchLevel }> {
    await this.database.write(async (manager) => {
      const [thread] = await runSql<unknown[]>(manager, 'SELECT "id" FROM "threads" WHERE "id" = :threadId', { threadId });
      if (!thread) throw new NotFoundException('Fil introuvable.');
      await runSql(manager, SET_LEVEL, { userId: reader.id, threadId, level });
    });
    return { level };
  }

  /** In the caller's transaction: the author of a new thread, or of a new post, watches it (a chosen level stays). */
  async watchByDefault(manager: EntityManager, userId: string, threadId: string): Promise<void> {
    await runSql(manager, WATCH_BY_DEFAULT, { userId, threadId });
  }

  async levelOf(manager: EntityManager, userId: string, threadId: string): Promise<WatchLevel> {
    const [row] = await runSql<Array<{ level: WatchLevel }>>(manager, LEVEL, { userId, threadId });
    return row?.level ?? DEFAULT_WATCH_LEVEL;
  }
}
