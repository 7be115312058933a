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

  it('leads an earlier mention’s link to its person after a change of handle, until somebody chooses that handle', async () => {
    const person = (handle: string) => t.http().get(`/api/users/handles/${handle}`).set('Authorization', alice.auth);
    const changeHandle = (user: TestUser, handle: string) => t.http().patch('/api/me').set('Authorization', user.auth).send({ handle });
    await t
      .http()
      .post(`/api/topics/${topicId}/threads`)
      .set('Authorization', alice.auth)
      .send({ title: 'Avant le changement', body: `Merci @${bobHandle}` })
      .expect(201);
    expect((await person(bobHandle).expect(200)).body).toEqual({
      id: bob.user.id,
      displayName: 'Bob Lien',
      handle: bobHandle,
      metropolis: expect.objectContaining({ slug: 'metropole-de-lyon' }),
    });

    await changeHandle(bob, 'bob.nouveau').expect(200);
    expect((await person(bobHandle).expect(200)).body).toMatchObject({ id: bob.user.id, handle: 'bob.nouveau' });
    expect((await person('bob.nouveau').expect(200)).body).toMatchObject({ id: bob.user.id, handle: 'bob.nouveau' });
    // a newcomer with the same name is not given the handle earlier posts link to Bob by
    const namesake = await t.createUser({ displayName: 'Bob Lien' });
    expect(namesake.user.handle).not.toBe(bobHandle);
    expect((await person(bobHandle).expect(200)).body.id).toBe(bob.user.id);

    // chosen on purpose, it is the chooser's; Bob cannot take it back, and goes on by his new one
    await changeHandle(namesake, bobHandle).expect(200);
    expect((await person(bobHandle).expect(200)).body.id).toBe(namesake.user.id);
    await changeHandle(bob, bobHandle).expect(409);
    expect((await person('bob.nouveau').expect(200)).body.id).toBe(bob.user.id);
    // back to a handle of one's own from before: no alias is left behind naming oneself twice
    await changeHandle(bob, 'bob.autre').expect(200);
    await changeHandle(bob, 'bob.nouveau').expect(200);
    expect((await person('bob.autre').expect(200)).body).toMatchObject({ id: bob.user.id, handle: 'bob.nouveau' });

    await person('personne.inconnue').expect(404, { message: 'Personne n’a l’identifiant @personne.inconnue.', error: 'Not Found', statusCode: 404 });
    expect((await person('Pas%20un%20identifiant').expect(400)).body.message).toEqual([expect.stringContaining('handle doit compter')]);
  });
});
