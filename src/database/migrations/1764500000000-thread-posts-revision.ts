import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** A counter of every change to a thread's posts, which tells a cached page of posts whether it is still current. */
export class ThreadPostsRevision1764500000000 implements MigrationInterface {
  name = 'ThreadPostsRevision1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('threads', new TableColumn({ name: 'postsRevision', type: 'integer', default: 0 }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('threads', 'postsRevision');
  }
}
