import { createTestApp, TestApp } from '../../test/support/test-app';
import { Metropolis } from '../metropolises/metropolis.entity';
import { Database } from './database.service';

/** SQLite's group commit, on a real SQLite database in memory. */
describe('Database.write on SQLite', () => {
  let t: TestApp;
  let database: Database;

  beforeAll(async () => {
    t = await createTestApp();
    database = t.app.get(Database);
  });
  afterAll(() => t.close());

  const addMetropolis = (slug: string) => (manager: Parameters<Parameters<Database['write']>[0]>[0]) =>
    manager.save(Metropolis, manager.create(Metropolis, { slug, name: slug, region: 'Test' }));
  const slugsStored = async (...slugs: string[]) =>
    (await t.dataSource.getRepository(Metropolis).findBy(slugs.map((slug) => ({ slug })))).map((m) => m.slug).sort();

  it('commits the writes that arrive together in one transaction; the one that fails is rolled back alone', async () => {
    const runner = t.dataSource.createQueryRunner();
    const query = jest.spyOn(runner, 'query');
    const outcomes = await Promise.allSettled([
      database.write(addMetropolis('groupe-a')),
      database.write(async (manager) => {
        await addMetropolis('groupe-b')(manager);
        throw new Error('refused after writing');
      }),
      database.write(addMetropolis('groupe-c')),
    ]);
    const statements = query.mock.calls.map(([sql]) => sql);
    query.mockRestore();

    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toEqual(new Error('refused after writing'));
    expect(await slugsStored('groupe-a', 'groupe-b', 'groupe-c')).toEqual(['groupe-a', 'groupe-c']);
    expect(statements.filter((sql) => /^BEGIN/.test(sql))).toHaveLength(1);
    expect(statements.filter((sql) => sql === 'COMMIT')).toHaveLength(1);
  });

  it('fails the whole group when SQLite has dropped its transaction, and the next write commits as usual', async () => {
    const outcomes = await Promise.allSettled([
      database.write(addMetropolis('perdue-a')),
      // what SQLite does on its own after a full disk or an I/O error
      database.write((manager) => manager.query('ROLLBACK')),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect(await slugsStored('perdue-a')).toEqual([]);

    await database.write(addMetropolis('apres-echec'));
    expect(await slugsStored('apres-echec')).toEqual(['apres-echec']);
    expect(t.dataSource.createQueryRunner().isTransactionActive).toBe(false);
  });
});
