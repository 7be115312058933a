import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';

/** Flags on posts, for the moderation queue. */
export class PostFlags1764400000000 implements MigrationInterface {
  name = 'PostFlags1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.driver.options.type === 'postgres';
    const uuid = postgres ? { type: 'uuid' } : { type: 'varchar', length: '36' };
    const timestamp = postgres ? 'timestamptz' : 'datetime';
    await queryRunner.createTable(
      new Table({
        name: 'post_flags',
        columns: [
          { name: 'id', ...uuid, isPrimary: true, default: postgres ? 'gen_random_uuid()' : undefined },
          { name: 'postId', ...uuid },
          { name: 'reporterId', ...uuid },
          { name: 'reason', type: 'varchar', length: '500' },
          { name: 'createdAt', type: timestamp, default: postgres ? 'now()' : "(strftime('%Y-%m-%d %H:%M:%f', 'now'))" },
          { name: 'resolvedAt', type: timestamp, isNullable: true },
          { name: 'resolvedById', ...uuid, isNullable: true },
          { name: 'resolution', type: 'varchar', length: '16', isNullable: true },
        ],
        uniques: [{ name: 'UQ_post_flags_post_reporter', columnNames: ['postId', 'reporterId'] }],
        indices: [new TableIndex({ name: 'IDX_post_flags_queue', columnNames: ['resolvedAt', 'createdAt'] })],
        foreignKeys: [
          new TableForeignKey({ columnNames: ['postId'], referencedTableName: 'posts', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
          new TableForeignKey({ columnNames: ['reporterId'], referencedTableName: 'users', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
          new TableForeignKey({ columnNames: ['resolvedById'], referencedTableName: 'users', referencedColumnNames: ['id'], onDelete: 'SET NULL' }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('post_flags');
  }
}
