import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { columnHelpers } from './column-helpers';

const OLD_INDEX = new TableIndex({ name: 'IDX_thread_watches_thread', columnNames: ['threadId', 'level'] });
/** At every post: the watchers of the thread who have no unread `watched` notification about it, found by the index alone. */
const NEW_INDEX = new TableIndex({ name: 'IDX_thread_watches_to_notify', columnNames: ['threadId', 'level', 'unreadWatchedId'] });

/** What the triggers do when a `watched` notification is read or goes: its watcher is told again at the next post. */
const RELEASE_WATCH =
  'UPDATE "thread_watches" SET "unreadWatchedId" = NULL WHERE "userId" = OLD."userId" AND "threadId" = OLD."threadId" AND "unreadWatchedId" = OLD."id"';

/**
 * A thread's posts notify each watcher once until they read it: `thread_watches.unreadWatchedId` points at the
 * watcher's unread `watched` notification about the thread, and while it is set a new post writes nothing for them
 * (the notification stands for every post since, as Discourse collapses « new posts in a watched topic »). The
 * database itself clears the pointer whenever that notification is read or deleted, whoever writes it, so no reader
 * path has to remember to.
 */
export class CoalescedWatchedNotifications1764790000000 implements MigrationInterface {
  name = 'CoalescedWatchedNotifications1764790000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.driver.options.type === 'postgres';
    const { uuid } = columnHelpers(queryRunner);
    await queryRunner.dropIndex('thread_watches', OLD_INDEX.name!);
    await queryRunner.addColumn('thread_watches', new TableColumn(uuid('unreadWatchedId', { isNullable: true })));
    await queryRunner.createIndex('thread_watches', NEW_INDEX);
    // the watchers with unread `watched` notifications already: the latest one stands for the thread (ids are time-ordered)
    await queryRunner.query(
      `UPDATE "thread_watches" SET "unreadWatchedId" = (SELECT "n"."id" FROM "notifications" "n" WHERE "n"."userId" = "thread_watches"."userId"
        AND "n"."threadId" = "thread_watches"."threadId" AND "n"."kind" = 'watched' AND "n"."readAt" IS NULL ORDER BY "n"."id" DESC LIMIT 1)
        WHERE "level" = 'watching'`,
    );
    if (postgres) {
      await queryRunner.query(
        `CREATE FUNCTION "release_watch_of_notification"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${RELEASE_WATCH}; RETURN NULL; END $$`,
      );
      await queryRunner.query(
        `CREATE TRIGGER "notifications_watched_read" AFTER UPDATE OF "readAt" ON "notifications" FOR EACH ROW
          WHEN (OLD."kind" = 'watched' AND NEW."readAt" IS NOT NULL) EXECUTE FUNCTION "release_watch_of_notification"()`,
      );
      await queryRunner.query(
        `CREATE TRIGGER "notifications_watched_deleted" AFTER DELETE ON "notifications" FOR EACH ROW
          WHEN (OLD."kind" = 'watched') EXECUTE FUNCTION "release_watch_of_notification"()`,
      );
    } else {
      await queryRunner.query(
        `CREATE TRIGGER "notifications_watched_read" AFTER UPDATE OF "readAt" ON "notifications"
          WHEN OLD."kind" = 'watched' AND NEW."readAt" IS NOT NULL BEGIN ${RELEASE_WATCH}; END`,
      );
      await queryRunner.query(
        `CREATE TRIGGER "notifications_watched_deleted" AFTER DELETE ON "notifications" WHEN OLD."kind" = 'watched' BEGIN ${RELEASE_WATCH}; END`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.driver.options.type === 'postgres';
    // PostgreSQL names a trigger's table when it drops it; SQLite does not
    const onTable = postgres ? ' ON "notifications"' : '';
    await queryRunner.query(`DROP TRIGGER "notifications_watched_deleted"${onTable}`);
    await queryRunner.query(`DROP TRIGGER "notifications_watched_read"${onTable}`);
    if (postgres) await queryRunner.query('DROP FUNCTION "release_watch_of_notification"()');
    await queryRunner.dropIndex('thread_watches', NEW_INDEX.name!);
    await queryRunner.dropColumn('thread_watches', 'unreadWatchedId');
    await queryRunner.createIndex('thread_watches', OLD_INDEX);
  }
}
