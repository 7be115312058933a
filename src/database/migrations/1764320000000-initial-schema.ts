import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableForeignKey, TableIndex } from 'typeorm';

/**
 * The whole first schema, written with TypeORM's driver-neutral Table API so that one migration serves SQLite and
 * PostgreSQL; only the uuid and timestamp column types differ between the two.
 */
export class InitialSchema1764320000000 implements MigrationInterface {
  name = 'InitialSchema1764320000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.driver.options.type === 'postgres';
    const uuid = (name: string, options: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
      name,
      type: postgres ? 'uuid' : 'varchar',
      length: postgres ? undefined : '36',
      ...options,
    });
    // PostgreSQL makes the ids (TypeORM then reads them back); on SQLite TypeORM generates them before inserting
    const id = (): TableColumnOptions => uuid('id', { isPrimary: true, default: postgres ? 'gen_random_uuid()' : undefined });
    const timestamp = (name: string, options: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
      name,
      type: postgres ? 'timestamptz' : 'datetime',
      ...options,
    });
    const createdNow = (name: string): TableColumnOptions =>
      timestamp(name, { default: postgres ? 'now()' : "(strftime('%Y-%m-%d %H:%M:%f', 'now'))" });
    const text = (name: string, options: Partial<TableColumnOptions> = {}): TableColumnOptions => ({ name, type: 'text', ...options });
    const varchar = (name: string, length: number, options: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: String(length),
      ...options,
    });
    const integer = (name: string, options: Partial<TableColumnOptions> = {}): TableColumnOptions => ({ name, type: 'integer', ...options });
    const flag = (name: string): TableColumnOptions => ({ name, type: 'boolean', default: false });
    const fk = (column: string, table: string, onDelete: string) =>
      new TableForeignKey({ columnNames: [column], referencedTableName: table, referencedColumnNames: ['id'], onDelete });

    await queryRunner.createTable(
      new Table({
        name: 'metropolises',
        columns: [id(), varchar('slug', 200, { isUnique: true }), varchar('name', 200), varchar('region', 200), createdNow('createdAt')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          id(),
          varchar('email', 320),
          varchar('passwordHash', 255),
          varchar('displayName', 200),
          varchar('role', 16),
          uuid('metropolisId', { isNullable: true }),
          flag('disabled'),
          createdNow('createdAt'),
          createdNow('updatedAt'),
        ],
        indices: [
          new TableIndex({ name: 'IDX_users_email', columnNames: ['email'], isUnique: true }),
          new TableIndex({ name: 'IDX_users_metropolis', columnNames: ['metropolisId'] }),
          new TableIndex({ name: 'IDX_users_listing', columnNames: ['displayName', 'id'] }),
        ],
        foreignKeys: [fk('metropolisId', 'metropolises', 'SET NULL')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'invitations',
        columns: [
          id(),
          varchar('code', 64),
          varchar('email', 320),
          varchar('role', 16),
          uuid('metropolisId', { isNullable: true }),
          uuid('invitedById'),
          timestamp('expiresAt'),
          timestamp('usedAt', { isNullable: true }),
          uuid('usedById', { isNullable: true }),
          createdNow('createdAt'),
        ],
        indices: [new TableIndex({ name: 'IDX_invitations_code', columnNames: ['code'], isUnique: true })],
        foreignKeys: [fk('metropolisId', 'metropolises', 'CASCADE'), fk('invitedById', 'users', 'CASCADE'), fk('usedById', 'users', 'SET NULL')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'topics',
        columns: [
          id(),
          varchar('slug', 200),
          varchar('title', 200),
          text('description', { default: "''" }),
          integer('position', { default: 0 }),
          flag('pinned'),
          flag('locked'),
          flag('archived'),
          createdNow('createdAt'),
          createdNow('updatedAt'),
        ],
        indices: [
          new TableIndex({ name: 'IDX_topics_slug', columnNames: ['slug'], isUnique: true }),
          new TableIndex({ name: 'IDX_topics_listing', columnNames: ['archived', 'pinned', 'position'] }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'threads',
        columns: [
          id(),
          uuid('topicId', { isNullable: true }),
          varchar('context', 16, { default: "'topic'" }),
          varchar('title', 200),
          uuid('authorId'),
          flag('pinned'),
          flag('locked'),
          integer('postCount', { default: 0 }),
          integer('lastSeq', { default: 0 }),
          timestamp('lastPostAt', { isNullable: true }),
          timestamp('lastActivityAt'),
          text('searchText', { default: "''" }),
          createdNow('createdAt'),
          createdNow('updatedAt'),
        ],
        indices: [new TableIndex({ name: 'IDX_threads_listing', columnNames: ['topicId', 'pinned', 'lastActivityAt'] })],
        foreignKeys: [fk('topicId', 'topics', 'SET NULL'), fk('authorId', 'users', 'RESTRICT')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'posts',
        columns: [
          id(),
          uuid('threadId'),
          integer('seq'),
          uuid('parentId', { isNullable: true }),
          uuid('authorId'),
          text('body'),
          varchar('clientKey', 100, { isNullable: true }),
          createdNow('createdAt'),
          timestamp('editedAt', { isNullable: true }),
          timestamp('deletedAt', { isNullable: true }),
          timestamp('hiddenAt', { isNullable: true }),
          uuid('hiddenById', { isNullable: true }),
          text('searchText', { default: "''" }),
        ],
        uniques: [
          { name: 'UQ_posts_thread_seq', columnNames: ['threadId', 'seq'] },
          { name: 'UQ_posts_author_client_key', columnNames: ['authorId', 'clientKey'] },
        ],
        indices: [
          new TableIndex({ name: 'IDX_posts_parent', columnNames: ['parentId'] }),
          new TableIndex({ name: 'IDX_posts_author', columnNames: ['authorId'] }),
        ],
        foreignKeys: [
          fk('threadId', 'threads', 'CASCADE'),
          fk('parentId', 'posts', 'CASCADE'),
          fk('authorId', 'users', 'RESTRICT'),
          fk('hiddenById', 'users', 'SET NULL'),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'work_sessions',
        columns: [
          id(),
          varchar('title', 200),
          text('description', { default: "''" }),
          timestamp('startsAt'),
          timestamp('endsAt', { isNullable: true }),
          varchar('location', 300, { isNullable: true }),
          varchar('videoUrl', 2000, { isNullable: true }),
          varchar('status', 16, { default: "'scheduled'" }),
          uuid('currentItemId', { isNullable: true }),
          uuid('createdById', { isNullable: true }),
          timestamp('startedAt', { isNullable: true }),
          timestamp('closedAt', { isNullable: true }),
          createdNow('createdAt'),
          createdNow('updatedAt'),
        ],
        indices: [
          new TableIndex({ name: 'IDX_work_sessions_status', columnNames: ['status', 'startsAt'] }),
          new TableIndex({ name: 'IDX_work_sessions_starts', columnNames: ['startsAt'] }),
        ],
        foreignKeys: [fk('createdById', 'users', 'SET NULL')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'agenda_items',
        columns: [
          id(),
          uuid('sessionId'),
          integer('position'),
          varchar('title', 200),
          uuid('topicId', { isNullable: true }),
          uuid('threadId'),
          integer('durationMinutes', { isNullable: true }),
        ],
        indices: [new TableIndex({ name: 'IDX_agenda_items_session', columnNames: ['sessionId', 'position'] })],
        foreignKeys: [fk('sessionId', 'work_sessions', 'CASCADE'), fk('topicId', 'topics', 'SET NULL'), fk('threadId', 'threads', 'RESTRICT')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'session_participants',
        columns: [uuid('sessionId', { isPrimary: true }), uuid('userId', { isPrimary: true }), createdNow('joinedAt')],
        indices: [new TableIndex({ name: 'IDX_session_participants_user', columnNames: ['userId'] })],
        foreignKeys: [fk('sessionId', 'work_sessions', 'CASCADE'), fk('userId', 'users', 'CASCADE')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'polls',
        columns: [
          id(),
          uuid('sessionId'),
          uuid('agendaItemId', { isNullable: true }),
          varchar('question', 300),
          text('options'),
          varchar('status', 16, { default: "'open'" }),
          uuid('createdById', { isNullable: true }),
          createdNow('createdAt'),
          timestamp('closedAt', { isNullable: true }),
        ],
        indices: [new TableIndex({ name: 'IDX_polls_session', columnNames: ['sessionId'] })],
        foreignKeys: [
          fk('sessionId', 'work_sessions', 'CASCADE'),
          fk('agendaItemId', 'agenda_items', 'SET NULL'),
          fk('createdById', 'users', 'SET NULL'),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'poll_votes',
        columns: [uuid('pollId', { isPrimary: true }), uuid('userId', { isPrimary: true }), integer('optionIndex'), createdNow('votedAt')],
        foreignKeys: [fk('pollId', 'polls', 'CASCADE'), fk('userId', 'users', 'CASCADE')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'practices',
        columns: [
          id(),
          varchar('title', 200),
          text('summary'),
          text('description'),
          uuid('metropolisId'),
          text('partners'),
          varchar('stage', 16),
          text('links'),
          varchar('contact', 500, { isNullable: true }),
          uuid('threadId'),
          uuid('authorId', { isNullable: true }),
          text('searchText', { default: "''" }),
          createdNow('createdAt'),
          createdNow('updatedAt'),
        ],
        indices: [
          new TableIndex({ name: 'IDX_practices_metropolis', columnNames: ['metropolisId'] }),
          new TableIndex({ name: 'IDX_practices_stage', columnNames: ['stage'] }),
          new TableIndex({ name: 'IDX_practices_listing', columnNames: ['updatedAt', 'id'] }),
        ],
        foreignKeys: [fk('metropolisId', 'metropolises', 'RESTRICT'), fk('threadId', 'threads', 'RESTRICT'), fk('authorId', 'users', 'SET NULL')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'practice_levers',
        columns: [uuid('practiceId', { isPrimary: true }), varchar('lever', 32, { isPrimary: true })],
        indices: [new TableIndex({ name: 'IDX_practice_levers_lever', columnNames: ['lever'] })],
        foreignKeys: [fk('practiceId', 'practices', 'CASCADE')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'practice_topics',
        columns: [uuid('practiceId', { isPrimary: true }), uuid('topicId', { isPrimary: true })],
        indices: [new TableIndex({ name: 'IDX_practice_topics_topic', columnNames: ['topicId'] })],
        foreignKeys: [fk('practiceId', 'practices', 'CASCADE'), fk('topicId', 'topics', 'CASCADE')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'audit_entries',
        columns: [
          id(),
          uuid('actorId'),
          varchar('action', 64),
          varchar('targetType', 32),
          uuid('targetId'),
          text('details', { isNullable: true }),
          createdNow('createdAt'),
        ],
        indices: [
          new TableIndex({ name: 'IDX_audit_entries_actor', columnNames: ['actorId'] }),
          new TableIndex({ name: 'IDX_audit_entries_created', columnNames: ['createdAt'] }),
        ],
        foreignKeys: [fk('actorId', 'users', 'CASCADE')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'audit_entries',
      'practice_topics',
      'practice_levers',
      'practices',
      'poll_votes',
      'polls',
      'session_participants',
      'agenda_items',
      'work_sessions',
      'posts',
      'threads',
      'topics',
      'invitations',
      'users',
      'metropolises',
    ]) {
      await queryRunner.dropTable(table);
    }
  }
}
