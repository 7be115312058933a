import { createTestApp, TestApp } from '../../test/support/test-app';
import { Metropolis } from '../metropolises/metropolis.entity';
import { Database } from './database.service';

/** Database.afterCommit: what a write announces is heard once it is stored, and never when it is not. */
describe('Database.afterCommit', () => {
  let t: TestApp;
  let database: Database;

  beforeAll(async () => {
    t = await createTestApp({ seed: false });
    database = t.app.get(Database);
  });
  afterAll(() => t.close());

  it('runs a write’s callbacks after its commit, and drops those of a write that failed in the same group', async () => {
    const heard: string[] = [];
    const stored = (slug: string) => t.dataSource.getRepository(Metropolis).existsBy({ slug });
    // read from outside the transaction as the callback runs: on PostgreSQL another connection, which sees committed rows only
    let seenByCallback: Promise<boolean> | undefined;
    const outcomes = await Promise.allSettled([
      database.write(async (manager) => {
        await manager.save(Metropolis, manager.create(Metropolis, { slug: 'annonce-a', name: 'A', region: 'Test' }));
        database.afterCommit(manager, () => {
          seenByCallback = stored('annonce-a');
          heard.push('a');
        });
      }),
      database.write((manager) => {
        database.afterCommit(manager, () => heard.push('b'));
        return Promise.reject(new Error('refused'));
      }),
      database.write((manager) => {
        database.afterCommit(manager, () => {
          throw new Error('a failing listener is logged, not thrown');
        });
        database.afterCommit(manager, () => heard.push('c'));
        return Promise.resolve();
      }),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    // on PostgreSQL the writes run concurrently, in no set order
    expect(heard.sort()).toEqual(['a', 'c']);
    expect(await seenByCallback).toBe(true);
  });

  it('refuses a manager that no write handed out', () => {
    expect(() => database.afterCommit(t.dataSource.manager, () => undefined)).toThrow(/afterCommit/);
  });
});
