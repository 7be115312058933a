import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * What running a session leaves behind, and what moderation tells an author: each agenda item's real start and end
 * (set by the live transitions) and its « Décisions et suites » text; whether a poll hides its counts until one has
 * voted (on by default, as Loomio does); the reason a moderator gave when hiding a post.
 */
export class SessionRecords1764760000000 implements MigrationInterface {
  name = 'SessionRecords1764760000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = queryRunner.connection.driver.options.type === 'postgres' ? 'timestamptz' : 'datetime';
    await queryRunner.addColumns('agenda_items', [
      new TableColumn({ name: 'startedAt', type: timestamp, isNullable: true }),
      new TableColumn({ name: 'endedAt', type: timestamp, isNullable: true }),
      new TableColumn({ name: 'decisions', type: 'text', default: "''" }),
    ]);
    await queryRunner.addColumn('polls', new TableColumn({ name: 'hideResultsUntilVoted', type: 'boolean', default: true }));
    await queryRunner.addColumn('posts', new TableColumn({ name: 'hiddenReason', type: 'varchar', length: '500', isNullable: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('posts', 'hiddenReason');
    await queryRunner.dropColumn('polls', 'hideResultsUntilVoted');
    await queryRunner.dropColumns('agenda_items', ['decisions', 'endedAt', 'startedAt']);
  }
}
