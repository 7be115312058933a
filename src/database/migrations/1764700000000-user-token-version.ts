import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** The version every access token carries: a password change, a disable or an enable raises it, and older tokens stop working. */
export class UserTokenVersion1764700000000 implements MigrationInterface {
  name = 'UserTokenVersion1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('users', new TableColumn({ name: 'tokenVersion', type: 'integer', isNullable: false, default: 0 }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('users', 'tokenVersion');
  }
}
