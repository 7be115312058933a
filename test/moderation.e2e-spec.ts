import { closeAllClients, connect, nextEvent, record } from './live/live-client';
import { createTestApp, discussionCast, TestApp, TestUser } from './support/test-app';

describe('flags and the moderation queue (HTTP)', () => {
  let t: TestApp;
  let alice: TestUser;
  let bruno: TestUser;
  let moderator: TestUser;
  let topicId: string;

  beforeAll(async () => {
    t = await createTestApp();
    ({ alice, bruno, moderator, topicId } = await discussionCast(t));
  });
  afterAll(async () => {
    closeAllClients();
    await t.close();
  });

  async function post(body: string): Promise<{ id: string; threadId: string }> {
    const created = await t
      .http()
      .post(`/api/topics/${topicId}/threads`)
      .set('Authorization', alice.auth)
      .send({ title: 'Signalements', body })
      .expect(201);
    return created.body.post;
  }

  it('queues reported posts for moderators, longest waiting first, and hides or dismisses them', async () => {
    const rude = await post('Message déplacé');
    const fine = await post('Message correct');
    await t.http().post(`/api/posts/${rude.id}/flags`).set('Authorization', bruno.auth).send({ reason: 'Propos déplacés' }).expect(201);
    await t.http().post(`/api/posts/${rude.id}/flags`).set('Authorization', bruno.auth).send({ reason: 'Encore' }).expect(409);
    await t.http().post(`/api/posts/${rude.id}/flags`).set('Authorization', moderator.auth).send({ reason: 'Confirmé' }).expect(201);
    await t.http().post(`/api/posts/${fine.id}/flags`).set('Authorization', bruno.auth).send({ reason: 'Je ne suis pas d’accord' }).expect(201);

    await t.http().get('/api/moderation/queue').set('Authorization', bruno.auth).expect(403);
    const queue = await t.http().get('/api/moderation/queue').set('Authorization', moderator.auth).expect(200);
    expect(queue.body.map((item: { post: { id: string }; flagCount: number }) => [item.post.id, item.flagCount])).toEqual([
      [rude.id, 2],
      [fine.id, 1],
    ]);
    expect(queue.body[0].reports[0]).toMatchObject({ reason: 'Propos déplacés', reporter: { id: bruno.user.id, displayName: 'Bruno' } });
    expect(queue.body[0].thread.title).toBe('Signalements');
    const firstPage = await t.http().get('/api/moderation/queue?limit=1').set('Authorization', moderator.auth).expect(200);
    expect(firstPage.body.map((item: { post: { id: string } }) => item.post.id)).toEqual([rude.id]);
    expect(firstPage.headers.link).toMatch(/^<[^>]*cursor=[^>]+>; rel="next"$/);

    const hidden = await t
      .http()
      .post(`/api/moderation/queue/${rude.id}/resolve`)
      .set('Authorization', moderator.auth)
      .send({ action: 'hide' })
      .expect(200);
    expect(hidden.body).toEqual({ postId: rude.id, resolution: 'hidden', closedFlags: 2 });
    const page = await t.http().get(`/api/threads/${rude.threadId}`).set('Authorization', bruno.auth).expect(200);
    expect(page.body.posts[0]).toMatchObject({ hidden: true, body: '' });

    const dismissed = await t
      .http()
      .post(`/api/moderation/queue/${fine.id}/resolve`)
      .set('Authorization', moderator.auth)
      .send({ action: 'dismiss' })
      .expect(200);
    expect(dismissed.body.closedFlags).toBe(1);
    const empty = await t.http().get('/api/moderation/queue').set('Authorization', moderator.auth).expect(200);
    expect(empty.body).toEqual([]);

    const audit = await t.http().get('/api/audit').set('Authorization', moderator.auth).expect(200);
    expect(audit.body.map((entry: { action: string }) => entry.action)).toEqual(expect.arrayContaining(['flags.hide', 'flags.dismiss', 'post.hide']));
    // once dealt with, a post may be reported again
    await t.http().post(`/api/posts/${fine.id}/flags`).set('Authorization', bruno.auth).send({ reason: 'Nouveau motif' }).expect(201);
  });

  it('validates reports and resolutions', async () => {
    const target = await post('À signaler');
    const blank = await t.http().post(`/api/posts/${target.id}/flags`).set('Authorization', bruno.auth).send({ reason: '  ' }).expect(400);
    expect(blank.body.message).toEqual(['reason ne doit pas être vide.']);
    await t.http().post('/api/posts/00000000-0000-4000-8000-000000000000/flags').set('Authorization', bruno.auth).send({ reason: 'x' }).expect(404);
    const badAction = await t
      .http()
      .post(`/api/moderation/queue/${target.id}/resolve`)
      .set('Authorization', moderator.auth)
      .send({ action: 'ban' })
      .expect(400);
    expect(badAction.body.message.join(' ')).toContain('action');
    await t.http().post(`/api/moderation/queue/${target.id}/resolve`).set('Authorization', alice.auth).send({ action: 'dismiss' }).expect(403);
    await t.http().delete(`/api/posts/${target.id}`).set('Authorization', alice.auth).expect(200);
    await t.http().post(`/api/posts/${target.id}/flags`).set('Authorization', bruno.auth).send({ reason: 'Trop tard' }).expect(409);
  });

  it('counts open reports for moderators, over HTTP and live to the moderators room only', async () => {
    const openNow = async (): Promise<number> =>
      (await t.http().get('/api/moderation/count').set('Authorization', moderator.auth).expect(200)).body.open as number;
    await t.http().get('/api/moderation/count').set('Authorization', bruno.auth).expect(403);
    const before = await openNow();
    const moderatorSocket = await connect(t.url, moderator.token);
    const participantSocket = await connect(t.url, alice.token);
    const participantHeard = record(participantSocket, 'moderation:count');

    const target = await post('Compté dans la file');
    const raised = nextEvent(moderatorSocket, 'moderation:count');
    await t.http().post(`/api/posts/${target.id}/flags`).set('Authorization', bruno.auth).send({ reason: 'À vérifier' }).expect(201);
    expect(await raised).toEqual({ open: before + 1 });
    expect(await openNow()).toBe(before + 1);
    // a second report of the same post leaves the number of posts waiting as it was
    const same = nextEvent(moderatorSocket, 'moderation:count');
    await t.http().post(`/api/posts/${target.id}/flags`).set('Authorization', moderator.auth).send({ reason: 'Confirmé' }).expect(201);
    expect(await same).toEqual({ open: before + 1 });

    const lowered = nextEvent(moderatorSocket, 'moderation:count');
    await t.http().post(`/api/moderation/queue/${target.id}/resolve`).set('Authorization', moderator.auth).send({ action: 'dismiss' }).expect(200);
    expect(await lowered).toEqual({ open: before });
    expect(participantHeard).toEqual([]);
  });
});
