import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * The unique index on (authorId, clientKey) already serves every lookup by author (authorId is its first column), so
 * the index on authorId alone only cost each new post one more B-tree to write.
 */
export class DropPostsAuthorIndex1764600000000 implements MigrationInterface {
  name = 'DropPostsAuthorIndex1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('posts', 'IDX_posts_author');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('posts', new TableIndex({ name: 'IDX_posts_author', columnNames: ['authorId'] }));
  }
}
