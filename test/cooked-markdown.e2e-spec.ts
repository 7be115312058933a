import { CookedMarkdown1764750000000 } from '../src/database/migrations/1764750000000-cooked-markdown';
import { renderMarkdown } from '../src/markdown/markdown';
import { createTestApp, TestApp, TestUser } from './support/test-app';

/** Markdown is cooked into HTML when it is written, and the migration cooks what was written before it. */
describe('cooked Markdown (posts, practices, sessions)', () => {
  let t: TestApp;
  let alice: TestUser;
  let topicId: string;

  beforeAll(async () => {
    t = await createTestApp();
    alice = await t.createUser({ metropolis: 'nantes-metropole', displayName: 'Alice' });
    topicId = (await t.http().get('/api/topics').set('Authorization', alice.auth).expect(200)).body[0].id;
  });
  afterAll(() => t.close());

  it('cooks a post when it is written and when it is edited, and empties bodyHtml with the body', async () => {
    const created = await t
      .http()
      .post(`/api/topics/${topicId}/threads`)
      .set('Authorization', alice.auth)
      .send({ title: 'Cuisson', body: '3. trois\n4. quatre <script>alert(1)</script>' })
      .expect(201);
    const post = created.body.post as { id: string; body: string; bodyHtml: string };
    expect(post.bodyHtml).toBe(renderMarkdown(post.body));
    expect(post.bodyHtml).toContain('<ol start="3">');
    expect(post.bodyHtml).not.toContain('<script');
    const edited = await t.http().patch(`/api/posts/${post.id}`).set('Authorization', alice.auth).send({ body: '**gras**' }).expect(200);
    expect(edited.body.bodyHtml).toBe('<p><strong>gras</strong></p>\n');
    const deleted = await t.http().delete(`/api/posts/${post.id}`).set('Authorization', alice.auth).expect(200);
    expect(deleted.body).toMatchObject({ body: '', bodyHtml: '' });
  });

  it('cooks the rows written before the migration', async () => {
    const created = await t
      .http()
      .post(`/api/topics/${topicId}/threads`)
      .set('Authorization', alice.auth)
      .send({ title: 'Avant la migration', body: 'Un *mot* en italique' })
      .expect(201);
    const migration = new CookedMarkdown1764750000000();
    const runner = t.dataSource.createQueryRunner();
    try {
      // back to the schema before it (no cooked columns), then forward again over the rows already there
      await migration.down(runner);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    const page = await t
      .http()
      .get(`/api/threads/${created.body.thread.id as string}`)
      .set('Authorization', alice.auth)
      .expect(200);
    expect(page.body.posts[0].bodyHtml).toBe('<p>Un <em>mot</em> en italique</p>\n');
    const practices = (await t.http().get('/api/practices').set('Authorization', alice.auth).expect(200)).body as { descriptionHtml: string }[];
    expect(practices.length).toBeGreaterThan(0);
    for (const practice of practices) expect(practice.descriptionHtml).toMatch(/^<p>/);
    const sessions = (await t.http().get('/api/sessions').set('Authorization', alice.auth).expect(200)).body as { descriptionHtml: string }[];
    expect(sessions.length).toBeGreaterThan(0);
    for (const session of sessions) expect(session.descriptionHtml).toMatch(/^<p>/);
  });
});
