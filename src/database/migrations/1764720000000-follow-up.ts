import { MigrationInterface, QueryRunner, Table, TableColumn, TableForeignKey, TableIndex } from 'typeorm';
import { firstFreeHandle } from '../../users/handles';
import { columnHelpers } from './column-helpers';

/**
 * Follow-up between meetings (issue 11): read state per person and thread, watch levels, in-app notifications, the
 * visits « what's new » counts from, and a unique handle for every person (made here for the people already there).
 */
export class FollowUp1764720000000 implements MigrationInterface {
  name = 'FollowUp1764720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { uuid, timestamp, createdNow, cascadeFrom: fk } = columnHelpers(queryRunner);

    await queryRunner.addColumn('users', new TableColumn({ name: 'handle', type: 'varchar', length: '30', isNullable: true }));
    await this.giveHandles(queryRunner);
    await queryRunner.createIndex('users', new TableIndex({ name: 'IDX_users_handle', columnNames: ['handle'], isUnique: true }));

    await queryRunner.createTable(
      new Table({
        name: 'thread_reads',
        columns: [
          uuid('userId', { isPrimary: true }),
          uuid('threadId', { isPrimary: true }),
          { name: 'lastReadSeq', type: 'integer', default: 0 },
          createdNow('updatedAt'),
        ],
        indices: [new TableIndex({ name: 'IDX_thread_reads_thread', columnNames: ['threadId'] })],
        foreignKeys: [fk('userId', 'users'), fk('threadId', 'threads')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'thread_watches',
        columns: [uuid('userId', { isPrimary: true }), uuid('threadId', { isPrimary: true }), { name: 'level', type: 'varchar', length: '16' }],
        // the watchers of a thread are read at every post
        indices: [new TableIndex({ name: 'IDX_thread_watches_thread', columnNames: ['threadId', 'level'] })],
        foreignKeys: [fk('userId', 'users'), fk('threadId', 'threads')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'notifications',
        columns: [
          uuid('id', { isPrimary: true }),
          uuid('userId'),
          { name: 'kind', type: 'varchar', length: '32' },
          uuid('actorId', { isNullable: true }),
          uuid('threadId', { isNullable: true }),
          uuid('postId', { isNullable: true }),
          { name: 'seq', type: 'integer', isNullable: true },
          uuid('sessionId', { isNullable: true }),
          uuid('practiceId', { isNullable: true }),
          uuid('flagId', { isNullable: true }),
          createdNow('createdAt'),
          timestamp('readAt', { isNullable: true }),
          timestamp('emailedAt', { isNullable: true }),
        ],
        // the inbox's index only: each index costs every one of the rows a busy thread writes at each post
        indices: [new TableIndex({ name: 'IDX_notifications_inbox', columnNames: ['userId', 'readAt', 'createdAt'] })],
        // what a notification is about may go (a thread, a session): the notification goes with it
        foreignKeys: [
          fk('userId', 'users'),
          fk('threadId', 'threads'),
          fk('postId', 'posts'),
          fk('sessionId', 'work_sessions'),
          fk('practiceId', 'practices'),
          fk('flagId', 'post_flags'),
          new TableForeignKey({ columnNames: ['actorId'], referencedTableName: 'users', referencedColumnNames: ['id'], onDelete: 'SET NULL' }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'user_visits',
        columns: [
          uuid('userId', { isPrimary: true }),
          timestamp('currentStartedAt'),
          timestamp('previousStartedAt', { isNullable: true }),
          timestamp('lastSeenAt'),
        ],
        foreignKeys: [fk('userId', 'users')],
      }),
    );

    // the people already there start with everything read, as a newcomer does at registration
    await queryRunner.query(
      'INSERT INTO "thread_reads" ("userId", "threadId", "lastReadSeq") SELECT "u"."id", "t"."id", "t"."lastSeq" FROM "users" "u" CROSS JOIN "threads" "t" WHERE "t"."lastSeq" > 0',
    );
  }

  /** Handles made from display names in order of registration, so the earliest keeps the plain `prenom.nom`. */
  private async giveHandles(queryRunner: QueryRunner): Promise<void> {
    const users = (await queryRunner.query('SELECT "id", "displayName" FROM "users" ORDER BY "createdAt", "id"')) as Array<{
      id: string;
      displayName: string;
    }>;
    const [handleParameter, idParameter] = queryRunner.connection.driver.options.type === 'postgres' ? ['$1', '$2'] : ['?', '?'];
    const taken = new Set<string>();
    for (const { id, displayName } of users) {
      const handle = firstFreeHandle(displayName, (candidate) => taken.has(candidate));
      taken.add(handle);
      await queryRunner.query(`UPDATE "users" SET "handle" = ${handleParameter} WHERE "id" = ${idParameter}`, [handle, id]);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('user_visits');
    await queryRunner.dropTable('notifications');
    await queryRunner.dropTable('thread_watches');
    await queryRunner.dropTable('thread_reads');
    await queryRunner.dropIndex('users', 'IDX_users_handle');
    await queryRunner.dropColumn('users', 'handle');
  }
}
