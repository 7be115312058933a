import { MigrationInterface, QueryRunner } from 'typeorm';
import { hasXPlural } from '../../search/french-text';
import { buildSearchIndex } from '../../search/search-index';

/**
 * Search reads the plurals in -x that Snowball's French algorithm leaves apart from their singular (« tiers-lieux »,
 * « enjeux », « bijoux ») as their singular, on both engines (`X_PLURALS` in `src/search/french-text.ts`): the index
 * rows of the threads, posts and practices that hold one are written again, in place. Undone, they stay so: a build
 * from before finds those words by their singular only.
 */
export class SearchXPlurals1764820000000 implements MigrationInterface {
  name = 'SearchXPlurals1764820000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await buildSearchIndex(queryRunner.manager, (document) => hasXPlural(document.title) || hasXPlural(document.body));
  }

  async down(): Promise<void> {
    // nothing to undo: see above
  }
}
