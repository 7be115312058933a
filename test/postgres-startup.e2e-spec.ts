import { MIGRATIONS } from '../src/database/migration-list';
import { createTestApp, testDatabaseUrl } from './support/test-app';

// Several instances on one PostgreSQL database: only meaningful with TEST_DATABASE_URL (npm run test:postgres).
const onPostgres = process.env.TEST_DATABASE_URL ? describe : describe.skip;

onPostgres('several instances starting together on one PostgreSQL database', () => {
  it('migrate and seed exactly once, and two writers keep one thread gap-free', async () => {
    const database = await testDatabaseUrl();
    try {
      const [first, second] = await Promise.all([createTestApp({ databaseUrl: database.url }), createTestApp({ databaseUrl: database.url })]);
      try {
        const [migrations] = await first.dataSource.query('SELECT COUNT(*) AS n FROM migrations');
        expect(Number(migrations.n)).toBe(MIGRATIONS.length);
        const [metropolises] = await first.dataSource.query('SELECT COUNT(*) AS n FROM metropolises');
        expect(Number(metropolises.n)).toBe(22);
        const [topics] = await first.dataSource.query('SELECT COUNT(*) AS n FROM topics');
        expect(Number(topics.n)).toBe(4);

        const alice = await first.createUser();
        const bruno = await second.createUser();
        const topic = (await first.http().get('/api/topics').set('Authorization', alice.auth).expect(200)).body[0];
        const { body } = await first
          .http()
          .post(`/api/topics/${topic.id}/threads`)
          .set('Authorization', alice.auth)
          .send({ title: 'Deux instances', body: 'départ' })
          .expect(201);
        const posts = await Promise.all(
          Array.from({ length: 40 }, (_, index) =>
            (index % 2 ? first : second)
              .http()
              .post(`/api/threads/${body.thread.id}/posts`)
              .set('Authorization', index % 2 ? alice.auth : bruno.auth)
              .send({ body: `n° ${index}` }),
          ),
        );
        expect(posts.map((response) => response.status)).toEqual(Array(40).fill(201));
        expect(posts.map((response) => response.body.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, index) => index + 2));
      } finally {
        await Promise.all([first.close(), second.close()]);
      }
    } finally {
      await database.drop();
    }
  });
});
