import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columnHelpers } from './column-helpers';

/** The handles people held before changing them, so that the `@old` links of earlier posts still lead to them. */
export class HandleAliases1764805000000 implements MigrationInterface {
  name = 'HandleAliases1764805000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { uuid, varchar, createdNow, cascadeFrom } = columnHelpers(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'handle_aliases',
        columns: [varchar('handle', 30, { isPrimary: true }), uuid('userId'), createdNow('createdAt')],
        indices: [new TableIndex({ name: 'IDX_handle_aliases_user', columnNames: ['userId'] })],
        foreignKeys: [cascadeFrom('userId', 'users')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('handle_aliases');
  }
}
