import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestApp, TestApp, testDatabaseUrl, TestUser } from '../support/test-app';
import { hasRedis, startRedis } from '../support/redis';
import { closeAllClients, connect, nextEvent, ok, record, send } from './live-client';

/**
 * notification:created reaches every socket of the person, on every instance, exactly once: two instances of Essor
 * on one database (PostgreSQL when TEST_DATABASE_URL is set, else one SQLite file) and one Redis.
 */
(hasRedis ? describe : describe.skip)('notifications across two instances (Redis adapter)', () => {
  let redis: { url: string; stop: () => void };
  let directory: string;
  let database: { url: string; drop: () => Promise<void> };
  let one: TestApp;
  let two: TestApp;
  let alice: TestUser;
  let bruno: TestUser;

  beforeAll(async () => {
    redis = await startRedis();
    directory = mkdtempSync(join(tmpdir(), 'essor-redis-notifications-'));
    database = await testDatabaseUrl(process.env.TEST_DATABASE_URL ? undefined : join(directory, 'essor.sqlite'));
    const env = { REDIS_URL: redis.url, JWT_SECRET: 'redis-notifications-secret-0123456789abcdef' };
    one = await createTestApp({ env, databaseUrl: database.url });
    two = await createTestApp({ env, databaseUrl: database.url, seed: false });
    alice = await one.createUser({ displayName: 'Alice Deux' });
    bruno = await one.createUser({ displayName: 'Bruno Deux' });
  });
  afterEach(() => closeAllClients());
  afterAll(async () => {
    await one?.close();
    await two?.close();
    await database?.drop();
    redis?.stop();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it('delivers a notification made on one instance to every socket of the person on both instances, once each', async () => {
    const [onOne, onTwo, otherOnTwo] = [
      await connect(one.url, bruno.token),
      await connect(two.url, bruno.token),
      await connect(two.url, alice.token),
    ];
    const [seenOnOne, seenOnTwo, seenByAlice] = [
      record(onOne, 'notification:created'),
      record(onTwo, 'notification:created'),
      record(otherOnTwo, 'notification:created'),
    ];
    const topics = await one.http().get('/api/topics').set('Authorization', alice.auth).expect(200);
    const { body } = await one
      .http()
      .post(`/api/topics/${topics.body[0].id}/threads`)
      .set('Authorization', alice.auth)
      .send({ title: 'Deux instances', body: 'Bonjour @bruno.deux' })
      .expect(201);
    const threadId = body.thread.id as string;

    // a second notification, made on the other instance, arrives after any duplicate of the first could have
    const secondOnOne = nextEvent(onOne, 'notification:created', (notification) => notification.seq === 2);
    const secondOnTwo = nextEvent(onTwo, 'notification:created', (notification) => notification.seq === 2);
    const replyTo = body.post.id as string;
    const bySocket = await connect(two.url, alice.token);
    ok(await send(bySocket, 'post:create', { threadId, body: 'Encore toi, @bruno.deux', parentId: replyTo }));
    await Promise.all([secondOnOne, secondOnTwo]);

    expect(seenOnOne.map((notification) => [notification.kind, notification.seq])).toEqual([
      ['mention', 1],
      ['mention', 2],
    ]);
    expect(seenOnTwo).toEqual(seenOnOne);
    expect(seenOnOne[0]).toMatchObject({ threadId, actor: { id: alice.user.id, displayName: 'Alice Deux' }, title: 'Deux instances' });
    expect(seenByAlice).toEqual([]);
  });
});
