import { createTestApp, TestApp, TestUser } from '../support/test-app';
import { closeAllClients, connect, disconnected, ok, refusal, send } from './live-client';

describe('live connection (socket.io /live)', () => {
  let t: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.createUser({ role: 'admin' });
  });
  afterEach(() => closeAllClients());
  afterAll(() => t.close());

  it('refuses a handshake without a token, with a bad token, or with an expired one: connect_error "unauthorized"', async () => {
    expect((await refusal(t.url, undefined)).message).toBe('unauthorized');
    expect((await refusal(t.url, '')).message).toBe('unauthorized');
    expect((await refusal(t.url, 'not-a-jwt')).message).toBe('unauthorized');
    const forged = admin.token.slice(0, -4) + (admin.token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect((await refusal(t.url, forged)).message).toBe('unauthorized');
  });

  it('refuses a disabled account at the handshake', async () => {
    const camille = await t.createUser();
    await t.http().patch(`/api/users/${camille.user.id}`).set('Authorization', admin.auth).send({ disabled: true }).expect(200);
    expect((await refusal(t.url, camille.token)).message).toBe('unauthorized');
  });

  it('accepts a valid token, and disconnects every socket of a user disabled while connected', async () => {
    const dominique = await t.createUser();
    const tab1 = await connect(t.url, dominique.token);
    const tab2 = await connect(t.url, dominique.token);
    const other = await connect(t.url, admin.token);
    const closed = Promise.all([disconnected(tab1), disconnected(tab2)]);
    await t.http().patch(`/api/users/${dominique.user.id}`).set('Authorization', admin.auth).send({ disabled: true }).expect(200);
    expect(await closed).toEqual(['io server disconnect', 'io server disconnect']);
    expect(other.connected).toBe(true);
    expect((await refusal(t.url, dominique.token)).message).toBe('unauthorized');
  });

  it('applies a role change to the next event of an open socket, without a reconnection', async () => {
    const author = await t.createUser();
    const reader = await t.createUser();
    const topics = await t.http().get('/api/topics').set('Authorization', admin.auth).expect(200);
    const thread = await t
      .http()
      .post(`/api/topics/${topics.body[0].id}/threads`)
      .set('Authorization', author.auth)
      .send({ title: 'Rôles', body: 'Ouvert' })
      .expect(201);
    const threadId = thread.body.thread.id as string;
    const post = await t.http().post(`/api/threads/${threadId}/posts`).set('Authorization', author.auth).send({ body: 'Bientôt masqué' }).expect(201);
    await t.http().post(`/api/posts/${post.body.id}/hide`).set('Authorization', admin.auth).expect(200);
    const socket = await connect(t.url, reader.token);
    const hiddenBody = async () => ok(await send(socket, 'thread:subscribe', { threadId })).posts.find((p) => p.id === post.body.id)?.body;
    expect(await hiddenBody()).toBe('');
    await t.http().patch(`/api/users/${reader.user.id}`).set('Authorization', admin.auth).send({ role: 'moderator' }).expect(200);
    expect(await hiddenBody()).toBe('Bientôt masqué');
  });

  it('answers an unknown thread, session or poll with not_found', async () => {
    const socket = await connect(t.url, admin.token);
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect(await send(socket, 'thread:subscribe', { threadId: unknown })).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'Fil introuvable.' },
    });
    expect(await send(socket, 'session:join', { sessionId: unknown })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await send(socket, 'poll:vote', { pollId: unknown, optionIndex: 0 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await send(socket, 'post:create', { threadId: unknown, body: 'Bonjour' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(socket.connected).toBe(true);
  });
});
