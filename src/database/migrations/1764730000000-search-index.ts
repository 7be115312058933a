import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableIndex } from 'typeorm';
import { buildSearchIndex } from '../../search/search-index';

const FOLDED_COPIES = ['threads', 'posts', 'practices'];

/**
 * Search on the engines' own full-text indexes (issue 16), replacing the folded `searchText` copies that LIKE scanned.
 * `search_documents` has one row per thread, post and practice. On SQLite it holds the French stems of each (FTS5 has
 * no French stemmer) and an FTS5 table with external content indexes them, kept in step by triggers; on PostgreSQL
 * it holds a `tsvector` of the `french` configuration over unaccent(), GIN-indexed. The rows for what exists already
 * are written at the end.
 */
export class SearchIndex1764730000000 implements MigrationInterface {
  name = 'SearchIndex1764730000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.driver.options.type === 'postgres';
    const uuid = (name: string, nullable = false): TableColumnOptions => ({
      name,
      type: postgres ? 'uuid' : 'varchar',
      length: postgres ? undefined : '36',
      isNullable: nullable,
    });
    const engineColumns: TableColumnOptions[] = postgres
      ? [
          { name: 'titleVector', type: 'tsvector' },
          { name: 'vector', type: 'tsvector' },
        ]
      : [
          { name: 'titleStems', type: 'text', default: "''" },
          { name: 'bodyStems', type: 'text', default: "''" },
        ];
    if (postgres) await queryRunner.query('CREATE EXTENSION IF NOT EXISTS unaccent');
    await queryRunner.createTable(
      new Table({
        name: 'search_documents',
        columns: [
          // an integer key that grows with time (rows are written as things are created, and the build goes in order of
          // creation): the FTS5 rowid on SQLite, and the ranking's last key, recency, without reading each row's time
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'kind', type: 'varchar', length: '16' },
          uuid('sourceId'),
          uuid('threadId'),
          uuid('authorId', true),
          uuid('metropolisId', true),
          { name: 'hidden', type: 'boolean', default: false },
          { name: 'createdAt', type: postgres ? 'timestamptz' : 'datetime' },
          ...engineColumns,
        ],
        indices: [new TableIndex({ name: 'UQ_search_documents_source', columnNames: ['sourceId'], isUnique: true })],
      }),
    );
    if (postgres) {
      await queryRunner.query('CREATE INDEX "IDX_search_documents_vector" ON "search_documents" USING GIN ("vector")');
    } else {
      // kind and hidden are indexed too, so that the usual filters are answered by the index, without a read of each row
      await queryRunner.query(
        `CREATE VIRTUAL TABLE "search_index" USING fts5("titleStems", "bodyStems", "kind", "hidden", content='search_documents', content_rowid='id', tokenize='unicode61 remove_diacritics 2')`,
      );
      const columns = '"titleStems", "bodyStems", "kind", "hidden"';
      const values = (row: 'new' | 'old') => `${row}."id", ${row}."titleStems", ${row}."bodyStems", ${row}."kind", ${row}."hidden"`;
      const remove = `INSERT INTO "search_index" ("search_index", rowid, ${columns}) VALUES ('delete', ${values('old')});`;
      const add = `INSERT INTO "search_index" (rowid, ${columns}) VALUES (${values('new')});`;
      await queryRunner.query(`CREATE TRIGGER "search_documents_ai" AFTER INSERT ON "search_documents" BEGIN ${add} END`);
      await queryRunner.query(`CREATE TRIGGER "search_documents_ad" AFTER DELETE ON "search_documents" BEGIN ${remove} END`);
      await queryRunner.query(`CREATE TRIGGER "search_documents_au" AFTER UPDATE ON "search_documents" BEGIN ${remove} ${add} END`);
    }
    for (const table of FOLDED_COPIES) await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "searchText"`);
    // TypeORM keeps the tables' definitions for later schema changes (SQLite's rebuild a table from them): read them again
    await queryRunner.getTables(FOLDED_COPIES);
    await buildSearchIndex(queryRunner.manager);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of FOLDED_COPIES) await queryRunner.query(`ALTER TABLE "${table}" ADD COLUMN "searchText" text NOT NULL DEFAULT ''`);
    await queryRunner.getTables(FOLDED_COPIES);
    if (queryRunner.connection.driver.options.type !== 'postgres') await queryRunner.query('DROP TABLE "search_index"');
    await queryRunner.dropTable('search_documents');
  }
}
