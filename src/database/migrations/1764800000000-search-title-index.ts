import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * PostgreSQL: a GIN index over the titles' own `tsvector`, so that search ranks the hits in a title (which come first)
 * from that small index alone, without reading every row where the words are found. SQLite's FTS5 index already
 * answers a match on the title column by itself: nothing changes there.
 */
export class SearchTitleIndex1764800000000 implements MigrationInterface {
  name = 'SearchTitleIndex1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.driver.options.type !== 'postgres') return;
    await queryRunner.query('CREATE INDEX "IDX_search_documents_title_vector" ON "search_documents" USING GIN ("titleVector")');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.driver.options.type !== 'postgres') return;
    await queryRunner.query('DROP INDEX "IDX_search_documents_title_vector"');
  }
}
