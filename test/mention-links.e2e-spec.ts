import { createTestApp, TestApp, TestUser } from './support/test-app';

/** A post's cooked HTML links the `@handle` of a person who exists, when it is written and when it is edited. */
describe('mentions in cooked posts', () => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let bobHandle: string;
  let topicId: string;

  beforeAll(async () => {
    t = await createTestApp();
    alice = await t.createUser({ metropolis: 'nantes-metropole', displayName: 'Alice Lien' });
    bob = await t.createUser({ metropolis: 'metropole-de-lyon', displayName: 'Bob Lien' });
    bobHandle = (await t.http().get('/api/auth/me').set('Authorization', bob.auth).expect(200)).body.handle;
    topicId = (await t.http().get('/api/topics').set('Authorization', alice.auth).expect(200)).body[0].id;
  });
  afterAll(() => t.close());

  it('links a known handle, leaves an unknown one as text, and links one added by an edit', async () => {
    const created = await t
      .http()
      .post(`/api/topics/${topicId}/threads`)
      .set('Authorization', alice.auth)
      .send({ title: 'Mentions', body: `Bonjour @${bobHandle} et @personne.inconnue` })
      .expect(201);
    const post = created.body.post as { id: string; bodyHtml: string };
    expect(post.bodyHtml).toContain(`<a class="mention" href="/#/people/${bobHandle}">@${bobHandle}</a>`);
    expect(post.bodyHtml).toContain('@personne.inconnue');
    expect(post.bodyHtml).not.toContain('/#/people/personne.inconnue');

    const edited = await t
      .http()
      .patch(`/api/posts/${post.id}`)
      .set('Authorization', alice.auth)
      .send({ body: `Merci @${bobHandle} !` })
      .expect(200);
    expect(edited.body.bodyHtml).toContain(`href="/#/people/${bobHandle}"`);
    const page = await t.http().get(`/api/threads/${created.body.thread.id}`).set('Authorization', bob.auth).expect(200);
    expect(page.body.posts[0].bodyHtml).toBe(edited.body.bodyHtml);
  });
});
