import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { renderMarkdown } from '../../markdown/markdown';

/** Rows cooked per round trip while filling the new columns: bounded memory on a large database. */
const BATCH = 500;

/**
 * Posts, practice and session descriptions keep their Markdown cooked into safe HTML beside it (`bodyHtml`,
 * `descriptionHtml`), made when they are written, so no reader renders Markdown again. Existing rows are cooked here.
 */
export class CookedMarkdown1764750000000 implements MigrationInterface {
  name = 'CookedMarkdown1764750000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('posts', new TableColumn({ name: 'bodyHtml', type: 'text', default: "''" }));
    await queryRunner.addColumn('practices', new TableColumn({ name: 'descriptionHtml', type: 'text', default: "''" }));
    await queryRunner.addColumn('work_sessions', new TableColumn({ name: 'descriptionHtml', type: 'text', default: "''" }));
    await cookColumn(queryRunner, 'posts', 'body', 'bodyHtml');
    await cookColumn(queryRunner, 'practices', 'description', 'descriptionHtml');
    await cookColumn(queryRunner, 'work_sessions', 'description', 'descriptionHtml');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('work_sessions', 'descriptionHtml');
    await queryRunner.dropColumn('practices', 'descriptionHtml');
    await queryRunner.dropColumn('posts', 'bodyHtml');
  }
}

/** Renders `source` into `target` for every row, in id order, a batch at a time. */
async function cookColumn(queryRunner: QueryRunner, table: string, source: string, target: string): Promise<void> {
  let after: string | null = null;
  for (;;) {
    const query = queryRunner.manager
      .createQueryBuilder()
      .select(['t.id AS id', `t.${source} AS source`])
      .from(table, 't')
      .orderBy('t.id')
      .limit(BATCH);
    if (after !== null) query.where('t.id > :after', { after });
    const rows: Array<{ id: string; source: string }> = await query.getRawMany();
    for (const row of rows) {
      await queryRunner.manager
        .createQueryBuilder()
        .update(table)
        .set({ [target]: renderMarkdown(row.source) })
        .where('id = :id', { id: row.id })
        .execute();
    }
    if (rows.length < BATCH) return;
    after = rows[rows.length - 1].id;
  }
}
