import { MigrationInterface, QueryRunner } from 'typeorm';

/** What the trigger does when a `watched` notification is written: it stands for the thread's posts from then on. */
const HOLD_WATCH = 'UPDATE "thread_watches" SET "unreadWatchedId" = NEW."id" WHERE "userId" = NEW."userId" AND "threadId" = NEW."threadId"';

/**
 * The database now also sets `thread_watches.unreadWatchedId` when a `watched` notification is written, as it already
 * clears it when that notification is read or deleted (1764790000000): the pointer follows the notifications whoever
 * writes them, and a post no longer sends a statement of its own for it (on PostgreSQL, a round trip while the post
 * holds its thread's row lock).
 */
export class WatchedNotificationTrigger1764830000000 implements MigrationInterface {
  name = 'WatchedNotificationTrigger1764830000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.driver.options.type === 'postgres') {
      await queryRunner.query(
        `CREATE FUNCTION "hold_watch_of_notification"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${HOLD_WATCH}; RETURN NULL; END $$`,
      );
      await queryRunner.query(
        `CREATE TRIGGER "notifications_watched_written" AFTER INSERT ON "notifications" FOR EACH ROW
          WHEN (NEW."kind" = 'watched' AND NEW."readAt" IS NULL) EXECUTE FUNCTION "hold_watch_of_notification"()`,
      );
    } else {
      await queryRunner.query(
        `CREATE TRIGGER "notifications_watched_written" AFTER INSERT ON "notifications"
          WHEN NEW."kind" = 'watched' AND NEW."readAt" IS NULL BEGIN ${HOLD_WATCH}; END`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.driver.options.type === 'postgres';
    // PostgreSQL names a trigger's table when it drops it; SQLite does not
    await queryRunner.query(`DROP TRIGGER "notifications_watched_written"${postgres ? ' ON "notifications"' : ''}`);
    if (postgres) await queryRunner.query('DROP FUNCTION "hold_watch_of_notification"()');
  }
}
