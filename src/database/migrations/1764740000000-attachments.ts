import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableForeignKey, TableIndex } from 'typeorm';

/**
 * Attached files: one row per upload, tied to at most one post, practice or session (none until it is referenced),
 * and their bytes in 1 MiB chunks (SQLite BLOB, PostgreSQL bytea) for the database storage, so that every instance on
 * one PostgreSQL serves every file and a Range request reads only the chunks it needs.
 */
export class Attachments1764740000000 implements MigrationInterface {
  name = 'Attachments1764740000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.driver.options.type === 'postgres';
    const uuidType = postgres ? { type: 'uuid' } : { type: 'varchar', length: '36' };
    const uuid = (name: string, options: Partial<TableColumnOptions> = {}): TableColumnOptions => ({ name, ...uuidType, ...options });
    const fk = (column: string, table: string) =>
      new TableForeignKey({ columnNames: [column], referencedTableName: table, referencedColumnNames: ['id'], onDelete: 'CASCADE' });
    await queryRunner.createTable(
      new Table({
        name: 'attachments',
        columns: [
          uuid('id', { isPrimary: true, default: postgres ? 'gen_random_uuid()' : undefined }),
          uuid('uploaderId'),
          { name: 'name', type: 'varchar', length: '255' },
          { name: 'type', type: 'varchar', length: '127' },
          { name: 'size', type: 'integer' },
          { name: 'sha256', type: 'varchar', length: '64' },
          { name: 'alt', type: 'varchar', length: '1000', isNullable: true },
          { name: 'width', type: 'integer', isNullable: true },
          { name: 'height', type: 'integer', isNullable: true },
          { name: 'previewSize', type: 'integer', isNullable: true },
          uuid('postId', { isNullable: true }),
          uuid('practiceId', { isNullable: true }),
          uuid('sessionId', { isNullable: true }),
          {
            name: 'createdAt',
            type: postgres ? 'timestamptz' : 'datetime',
            default: postgres ? 'now()' : "(strftime('%Y-%m-%d %H:%M:%f', 'now'))",
          },
        ],
        indices: [
          new TableIndex({ name: 'IDX_attachments_uploader', columnNames: ['uploaderId'] }),
          new TableIndex({ name: 'IDX_attachments_post', columnNames: ['postId'] }),
          new TableIndex({ name: 'IDX_attachments_practice', columnNames: ['practiceId'] }),
          new TableIndex({ name: 'IDX_attachments_session', columnNames: ['sessionId'] }),
          new TableIndex({ name: 'IDX_attachments_created', columnNames: ['createdAt'] }),
        ],
        foreignKeys: [fk('uploaderId', 'users'), fk('postId', 'posts'), fk('practiceId', 'practices'), fk('sessionId', 'work_sessions')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'attachment_chunks',
        columns: [
          uuid('attachmentId', { isPrimary: true }),
          { name: 'variant', type: 'varchar', length: '16', isPrimary: true },
          { name: 'position', type: 'integer', isPrimary: true },
          { name: 'data', type: postgres ? 'bytea' : 'blob' },
        ],
        foreignKeys: [fk('attachmentId', 'attachments')],
      }),
    );
    // files are mostly compressed already (images, zips, PDFs): PostgreSQL should not try again at every write and read
    if (postgres) await queryRunner.query('ALTER TABLE "attachment_chunks" ALTER COLUMN "data" SET STORAGE EXTERNAL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('attachment_chunks');
    await queryRunner.dropTable('attachments');
  }
}
