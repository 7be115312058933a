import { MigrationInterface, QueryRunner } from 'typeorm';

const INDEXES = ['IDX_search_documents_vector', 'IDX_search_documents_title_vector'];

/**
 * PostgreSQL: the search's GIN indexes take each new row straight into their tree (`fastupdate = off`) instead of a
 * pending list. With the pending list, every search reads all of it, unsorted, beside the index (up to
 * gin_pending_list_limit, 4 MB, until a vacuum or the insert that overflows it merges it, that insert paying the whole
 * merge). On the bench's 100,000 posts (383 and 359 pending pages, the title index's list holding an entry for every
 * post), PostgreSQL spent 7.6 to 8.8 ms of CPU per search with the lists, 5.2 to 5.4 ms once they were merged.
 * Inserting into the tree costs a new row about 40 µs more (53 µs instead of 13, measured on 2,000 rows). What is
 * pending now is merged here. SQLite's FTS5 has no such list: nothing changes there.
 */
export class SearchGinFastupdateOff1764810000000 implements MigrationInterface {
  name = 'SearchGinFastupdateOff1764810000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.driver.options.type !== 'postgres') return;
    for (const index of INDEXES) {
      await queryRunner.query(`ALTER INDEX "${index}" SET (fastupdate = off)`);
      await queryRunner.query(`SELECT gin_clean_pending_list('"${index}"')`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.driver.options.type !== 'postgres') return;
    for (const index of INDEXES) await queryRunner.query(`ALTER INDEX "${index}" RESET (fastupdate)`);
  }
}
