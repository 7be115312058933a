import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columnHelpers } from './column-helpers';

/** Failed password checks per account, shared by every instance (they were kept in each instance's memory). */
export class SignInFailures1764806000000 implements MigrationInterface {
  name = 'SignInFailures1764806000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { varchar, timestamp } = columnHelpers(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'sign_in_failures',
        columns: [varchar('account', 320, { isPrimary: true }), { name: 'failures', type: 'integer' }, timestamp('lastFailureAt')],
        indices: [new TableIndex({ name: 'IDX_sign_in_failures_last', columnNames: ['lastFailureAt'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('sign_in_failures');
  }
}
