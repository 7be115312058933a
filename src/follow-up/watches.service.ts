import { Injectable, NotFoundException } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Database } from '../database/database.service';
import { runSql } from '../database/sql';
import type { User } from '../users/user.entity';
import { WatchLevel } from './thread-watch.entity';

/** The author of a thread and anyone who posts in it watch it, unless they chose a level of their own. */
const WATCH_BY_DEFAULT =
  'INSERT INTO "thread_watches" ("userId", "threadId", "level") VALUES (:userId, :threadId, \'watching\') ON CONFLICT ("userId", "threadId") DO NOTHING';
const SET_LEVEL =
  'INSERT INTO "thread_watches" ("userId", "threadId", "level") VALUES (:userId, :threadId, :level) ' +
  'ON CONFLICT ("userId", "threadId") DO UPDATE SET "level" = excluded."level"';
/** `normal` is what having no row means, so only the other two levels are read at every post. */
const FOLLOWERS = 'SELECT "userId", "level" FROM "thread_watches" WHERE "threadId" = :threadId AND "level" <> \'normal\'';

export interface Followers {
  watching: string[];
  muted: Set<string>;
}

/** Watch levels per person and thread: `watching` (every post), `normal` (mentions and direct replies), `muted` (mentions only). */
@Injectable()
export class WatchesService {
  constructor(private readonly database: Database) {}

  async setLevel(reader: User, threadId: string, level: WatchLevel): Promise<{ level: WatchLevel }> {
    await this.database.write(async (manager) => {
      const [thread] = await runSql<unknown[]>(manager, 'SELECT "id" FROM "threads" WHERE "id" = :threadId', { threadId });
      if (!thread) throw new NotFoundException('Fil introuvable');
      await runSql(manager, SET_LEVEL, { userId: reader.id, threadId, level });
    });
    return { level };
  }

  /** In the caller's transaction: the author of a new thread, or of a new post, watches it (a chosen level stays). */
  async watchByDefault(manager: EntityManager, userId: string, threadId: string): Promise<void> {
    await runSql(manager, WATCH_BY_DEFAULT, { userId, threadId });
  }

  async followersOf(manager: EntityManager, threadId: string): Promise<Followers> {
    const rows = await runSql<Array<{ userId: string; level: WatchLevel }>>(manager, FOLLOWERS, { threadId });
    const followers: Followers = { watching: [], muted: new Set() };
    for (const { userId, level } of rows) {
      if (level === 'watching') followers.watching.push(userId);
      else followers.muted.add(userId);
    }
    return followers;
  }
}
