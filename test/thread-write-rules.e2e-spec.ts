import { closeAllClients, connect, raw } from './live/live-client';
import { createTestApp, discussionCast, type DiscussionCast, type TestApp } from './support/test-app';

/**
 * Issue 12, item 4: one rule per decision, on every path. The threads of an archived topic take no post and no edit
 * (409, as the topic takes no new thread); a locked thread takes posts and edits from moderators only (403 otherwise).
 */
describe('who may write in a thread, over HTTP and live alike', () => {
  let t: TestApp;
  let cast: DiscussionCast;

  beforeAll(async () => {
    t = await createTestApp();
    cast = await discussionCast(t);
  });
  afterEach(() => closeAllClients());
  afterAll(() => t.close());

  /** A topic of its own, a thread of Alice's in it with her first post. */
  async function threadOfAlice(): Promise<{ topicId: string; threadId: string; postId: string }> {
    const topic = await t
      .http()
      .post('/api/topics')
      .set('Authorization', cast.moderator.auth)
      .send({ title: `Thème ${Date.now()}${Math.random()}` })
      .expect(201);
    const { body } = await t
      .http()
      .post(`/api/topics/${topic.body.id}/threads`)
      .set('Authorization', cast.alice.auth)
      .send({ title: 'Un fil', body: 'Premier message' })
      .expect(201);
    return { topicId: topic.body.id as string, threadId: body.thread.id as string, postId: body.post.id as string };
  }

  const post = (auth: string, threadId: string) =>
    t.http().post(`/api/threads/${threadId}/posts`).set('Authorization', auth).send({ body: 'Encore' });
  const edit = (auth: string, postId: string) => t.http().patch(`/api/posts/${postId}`).set('Authorization', auth).send({ body: 'Modifié' });

  it('a thread of an archived topic takes no post and no edit from anyone, over HTTP and live', async () => {
    const { topicId, threadId, postId } = await threadOfAlice();
    await t.http().patch(`/api/topics/${topicId}`).set('Authorization', cast.moderator.auth).send({ archived: true }).expect(200);

    expect((await post(cast.alice.auth, threadId).expect(409)).body.message).toBe('Ce thème est archivé.');
    await post(cast.moderator.auth, threadId).expect(409);
    await edit(cast.alice.auth, postId).expect(409);
    await edit(cast.moderator.auth, postId).expect(409);
    const socket = await connect(t.url, cast.alice.token);
    expect(await raw(socket, 'post:create', { threadId, body: 'En direct' })).toEqual({
      ok: false,
      error: { code: 'conflict', message: 'Ce thème est archivé.' },
    });
    await t.http().post(`/api/topics/${topicId}/threads`).set('Authorization', cast.alice.auth).send({ title: 'Autre', body: 'x' }).expect(409);

    await t.http().patch(`/api/topics/${topicId}`).set('Authorization', cast.moderator.auth).send({ archived: false }).expect(200);
    await post(cast.alice.auth, threadId).expect(201);
    await edit(cast.alice.auth, postId).expect(200);
  });

  it('in a locked thread the author can neither post nor edit, over HTTP and live; a moderator can do both', async () => {
    const { threadId, postId } = await threadOfAlice();
    await t.http().patch(`/api/threads/${threadId}`).set('Authorization', cast.moderator.auth).send({ locked: true }).expect(200);

    expect((await edit(cast.alice.auth, postId).expect(403)).body.message).toBe('Ce fil est verrouillé.');
    await post(cast.alice.auth, threadId).expect(403);
    const socket = await connect(t.url, cast.alice.token);
    expect(await raw(socket, 'post:create', { threadId, body: 'En direct' })).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'Ce fil est verrouillé.' },
    });

    await edit(cast.moderator.auth, postId).expect(200);
    await post(cast.moderator.auth, threadId).expect(201);
    const moderatorSocket = await connect(t.url, cast.moderator.token);
    expect(await raw(moderatorSocket, 'post:create', { threadId, body: 'Modération en direct' })).toMatchObject({ ok: true });
    // deleting one's own words stays possible: a person may always withdraw what they wrote
    await t.http().delete(`/api/posts/${postId}`).set('Authorization', cast.alice.auth).expect(200);
  });
});
