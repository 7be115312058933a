import { EntityManager, In } from 'typeorm';
import { Thread } from '../threads/thread.entity';
import { runSql } from './sql';

/** The views cached across requests that have a counter of their own in the `revisions` table. */
export type RevisionedView = 'topics';

const BUMP_VIEW = 'INSERT INTO "revisions" ("view", "value") VALUES (:view, 1) ON CONFLICT ("view") DO UPDATE SET "value" = "revisions"."value" + 1';
const READ_VIEW = 'SELECT "value" FROM "revisions" WHERE "view" = :view';
const READ_THREAD = 'SELECT "postsRevision" FROM "threads" WHERE "id" = :id';

/**
 * Explicit revisions of the cached views: counters kept in the database, bumped inside the transaction of the change
 * (so a rolled-back change rolls its bump back, and no reader sees it before the commit), read by the cache before it
 * serves. Nothing depends on a clock or on a count staying different.
 */
export const Revisions = {
  /** Every write that changes what the view shows calls this, in its own transaction. */
  async bump(manager: EntityManager, view: RevisionedView): Promise<void> {
    await runSql(manager, BUMP_VIEW, { view });
  },

  async read(manager: EntityManager, view: RevisionedView): Promise<number> {
    const [row] = await runSql<Array<{ value: number | string }>>(manager, READ_VIEW, { view });
    return row ? Number(row.value) : 0;
  },

  /**
   * The thread page (the thread's view and its pages of posts) of each thread: its `postsRevision`. Posting bumps it
   * in its own statement (THREAD_PAGE_BUMP, the hottest write); every other change to a thread or its posts comes here.
   */
  async bumpThreads(manager: EntityManager, threadIds: string[]): Promise<void> {
    if (threadIds.length === 0) return;
    await manager.increment(Thread, { id: In(threadIds) }, 'postsRevision', 1);
  },

  /** The thread page's revision, or null for an unknown thread. */
  async readThread(manager: EntityManager, threadId: string): Promise<number | null> {
    const [row] = await runSql<Array<{ postsRevision: number | string }>>(manager, READ_THREAD, { id: threadId });
    return row ? Number(row.postsRevision) : null;
  },
};

/** The SET clause that bumps a thread page's revision, for the posting statement that updates the thread anyway. */
export const THREAD_PAGE_BUMP = '"postsRevision" = "postsRevision" + 1';
