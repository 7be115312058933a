import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasRedis, startRedis } from '../support/redis';
import { createTestApp, TEST_PASSWORD, TestApp, TestUser } from '../support/test-app';
import { until } from '../support/until';
import { closeAllClients, connect, disconnected, LiveClient, nextEvent, ok, record, send } from './live-client';

/**
 * Two instances of Essor on one database and one Redis, as behind a load balancer: rooms, presence (fetchSockets)
 * and disconnecting a disabled user (disconnectSockets) must span both. Skipped where redis-server is not installed.
 */
(hasRedis ? describe : describe.skip)('live across two instances (Redis adapter)', () => {
  let redis: { url: string; stop: () => void };
  let directory: string;
  let env: Record<string, string>;
  let one: TestApp;
  let two: TestApp;
  let admin: TestUser;
  let alice: TestUser;
  let bruno: TestUser;

  beforeAll(async () => {
    redis = await startRedis();
    directory = mkdtempSync(join(tmpdir(), 'essor-redis-'));
    // one secret for both, as instances behind one load balancer share it
    env = { REDIS_URL: redis.url, JWT_SECRET: 'redis-test-secret-0123456789abcdef0123' };
    const sqliteFile = join(directory, 'essor.sqlite');
    one = await createTestApp({ env, sqliteFile });
    two = await createTestApp({ env, sqliteFile, seed: false });
    admin = await one.createUser({ role: 'admin', displayName: 'Admin' });
    alice = await one.createUser({ displayName: 'Alice' });
    bruno = await one.createUser({ displayName: 'Bruno' });
  });
  afterEach(() => closeAllClients());
  afterAll(async () => {
    await one?.close();
    await two?.close();
    redis?.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  async function newThread(): Promise<string> {
    const topics = await one.http().get('/api/topics').set('Authorization', alice.auth).expect(200);
    const { body } = await one
      .http()
      .post(`/api/topics/${topics.body[0].id}/threads`)
      .set('Authorization', alice.auth)
      .send({ title: 'Deux instances', body: 'Un' })
      .expect(201);
    return body.thread.id as string;
  }

  it('broadcasts a post and a typing notice made on one instance to a client of the other', async () => {
    const threadId = await newThread();
    const onOne = await connect(one.url, alice.token);
    const onTwo = await connect(two.url, bruno.token);
    ok(await send(onOne, 'thread:subscribe', { threadId }));
    ok(await send(onTwo, 'thread:subscribe', { threadId }));

    const heard = nextEvent(onTwo, 'post:created');
    const posted = ok(await send(onOne, 'post:create', { threadId, body: 'Depuis l’instance 1' }));
    expect(await heard).toEqual(posted.post);

    const typing = nextEvent(onTwo, 'typing');
    ok(await send(onOne, 'typing', { threadId }));
    expect((await typing).user.id).toBe(alice.user.id);
  });

  it('counts the posts of one person on both instances together: over the limit, 429 and rate_limited, not an error', async () => {
    const limited = { ...env, RATE_LIMIT_POSTS_PER_10S: '3' };
    const sqliteFile = join(directory, 'essor.sqlite');
    const [three, four] = [
      await createTestApp({ env: limited, sqliteFile, seed: false }),
      await createTestApp({ env: limited, sqliteFile, seed: false }),
    ];
    try {
      const threadId = await newThread();
      const camille = await one.createUser({ displayName: 'Camille' });
      const post = (app: TestApp, body: string) =>
        app.http().post(`/api/threads/${threadId}/posts`).set('Authorization', camille.auth).send({ body });
      await post(three, 'un').expect(201);
      await post(four, 'deux').expect(201);
      await post(three, 'trois').expect(201);
      const refused = await post(four, 'quatre').expect(429);
      expect(refused.body.message).toContain('Trop de messages : 3 au plus toutes les 10 secondes');
      const socket = await connect(three.url, camille.token);
      expect(await send(socket, 'post:create', { threadId, body: 'cinq' })).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    } finally {
      await three.close();
      await four.close();
    }
  });

  it('disconnects a disabled user on every instance', async () => {
    const camille = await one.createUser({ displayName: 'Camille' });
    const tabs: LiveClient[] = [await connect(one.url, camille.token), await connect(two.url, camille.token)];
    const closed = Promise.all(tabs.map((tab) => disconnected(tab)));
    await two.http().patch(`/api/users/${camille.user.id}`).set('Authorization', admin.auth).send({ disabled: true }).expect(200);
    expect(await closed).toEqual(['io server disconnect', 'io server disconnect']);
  });

  it('refuses a token older than a password change on the other instance too, though it kept the account a moment ago', async () => {
    const dominique = await one.createUser({ displayName: 'Dominique' });
    const me = (token: string) => two.http().get('/api/auth/me').set('Authorization', `Bearer ${token}`);
    await me(dominique.token).expect(200);
    const changed = await one
      .http()
      .put('/api/me/password')
      .set('Authorization', dominique.auth)
      .send({ currentPassword: TEST_PASSWORD, newPassword: 'un nouveau secret' })
      .expect(200);
    // the notice travels through Redis; well before the users' cache would have expired on its own (5 s)
    await until('the other instance refuses the old token', async () => (await me(dominique.token)).status === 401, 2_500);
    await me(changed.body.accessToken as string).expect(200);
  });

  it('counts presence across instances, each person once', async () => {
    const moderator = await one.createUser({ role: 'moderator' });
    const { body: session } = await one
      .http()
      .post('/api/sessions')
      .set('Authorization', moderator.auth)
      .send({
        title: 'Séance partagée',
        description: '',
        startsAt: new Date(Date.now() + 3_600_000).toISOString(),
        agenda: [{ title: 'Point unique' }],
      })
      .expect(201);
    const sessionId = session.id as string;
    const aliceOnOne = await connect(one.url, alice.token);
    const aliceOnTwo = await connect(two.url, alice.token);
    const brunoOnTwo = await connect(two.url, bruno.token);
    ok(await send(aliceOnOne, 'session:join', { sessionId }));
    ok(await send(aliceOnTwo, 'session:join', { sessionId }));
    const updates = record(brunoOnTwo, 'presence:update');
    const joined = ok(await send(brunoOnTwo, 'session:join', { sessionId }));
    expect(joined.presence.map((user) => user.displayName)).toEqual(['Alice', 'Bruno']);

    // the room hears Bruno's join, then the leave: Alice is still there through her other instance's socket
    ok(await send(aliceOnOne, 'session:leave', { sessionId }));
    await until('the join and the leave heard', () => updates.length >= 2);
    expect(updates.map((update) => update.users.map((user) => user.displayName))).toEqual([
      ['Alice', 'Bruno'],
      ['Alice', 'Bruno'],
    ]);

    const update = nextEvent(brunoOnTwo, 'presence:update');
    aliceOnTwo.close();
    expect((await update).users.map((user) => user.displayName)).toEqual(['Bruno']);
  });
});
