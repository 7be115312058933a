import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** One counter per view cached across requests (the topic list): bumped in the transaction of every change to it. */
export class Revisions1764710000000 implements MigrationInterface {
  name = 'Revisions1764710000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'revisions',
        columns: [
          { name: 'view', type: 'varchar', length: '64', isPrimary: true },
          { name: 'value', type: 'integer', default: 0 },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('revisions');
  }
}
