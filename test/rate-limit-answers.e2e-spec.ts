import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAILURES_KEPT_MS, FREE_FAILURES, lockSeconds, MAX_LOCK_SECONDS } from '../src/auth/sign-in-backoff';
import { Database } from '../src/database/database.service';
import { closeAllClients, connect, raw } from './live/live-client';
import { createTestApp, discussionCast, TEST_PASSWORD, testDatabaseUrl, type TestApp } from './support/test-app';
import { until } from './support/until';

const retryAfter = (response: { headers: Record<string, string | undefined> }) => Number(response.headers['retry-after']);

/** Issue 12, item 6: every 429 says when to come back; failed sign-ins back off per account. */
describe('rate limits: Retry-After and the sign-in backoff', () => {
  afterEach(() => closeAllClients());

  describe('with tight limits', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ env: { RATE_LIMIT_POSTS_PER_10S: '2', RATE_LIMIT_SIGN_IN_PER_MINUTE: '3', RATE_LIMIT_REQUESTS_PER_MINUTE: '40' } });
    });
    afterAll(() => t.close());

    it('answers the post limit with Retry-After over HTTP and retryAfter over live', async () => {
      const { alice, topicId } = await discussionCast(t);
      const { body } = await t
        .http()
        .post(`/api/topics/${topicId}/threads`)
        .set('Authorization', alice.auth)
        .send({ title: 'Vite', body: 'Un' })
        .expect(201);
      const threadId = body.thread.id as string;
      // the limit is 2 posts; whether the thread's first post counts is not this test's concern
      const statuses: number[] = [];
      let limited = await t.http().post(`/api/threads/${threadId}/posts`).set('Authorization', alice.auth).send({ body: 'Encore' });
      while (limited.status === 201 && statuses.push(201) < 3) {
        limited = await t.http().post(`/api/threads/${threadId}/posts`).set('Authorization', alice.auth).send({ body: 'Encore' });
      }
      expect(limited.status).toBe(429);
      expect(retryAfter(limited)).toBeGreaterThanOrEqual(1);
      const socket = await connect(t.url, alice.token);
      const ack = await raw(socket, 'post:create', { threadId, body: 'Quatre' });
      expect(ack).toMatchObject({ ok: false, error: { code: 'rate_limited', retryAfter: expect.any(Number) as number } });
    });

    it('answers the sign-in limit per address with the standard Retry-After', async () => {
      const statuses: number[] = [];
      let last: { status: number; headers: Record<string, string | undefined> } | undefined;
      for (let attempt = 0; attempt < 4; attempt += 1) {
        last = await t
          .http()
          .post('/api/auth/login')
          .send({ email: `inconnu-${attempt}@example.org`, password: 'x' });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([401, 401, 401, 429]);
      expect(retryAfter(last!)).toBeGreaterThanOrEqual(1);
    });

    it('answers the request limit per address with Retry-After', async () => {
      let response = await t.http().get('/api/health');
      while (response.status === 200) response = await t.http().get('/api/health');
      expect(response.status).toBe(429);
      expect(retryAfter(response)).toBeGreaterThanOrEqual(1);
    });
  });

  describe('per-account backoff', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp();
    });
    afterAll(() => t.close());

    it('locks an account briefly after repeated failures, refuses even the right password meanwhile, and forgets on success', async () => {
      const camille = await t.createUser();
      const attempt = (password: string) => t.http().post('/api/auth/login').send({ email: camille.user.email, password });
      for (let failure = 1; failure <= FREE_FAILURES + 1; failure += 1) await attempt('mauvais').expect(401);
      const locked = await attempt(TEST_PASSWORD).expect(429);
      expect(retryAfter(locked)).toBe(lockSeconds(FREE_FAILURES + 1));
      expect(locked.body.message).toMatch(/^Trop d’essais infructueux sur ce compte/);
      // other accounts are not concerned
      const bruno = await t.createUser();
      await t.http().post('/api/auth/login').send({ email: bruno.user.email, password: TEST_PASSWORD }).expect(200);
      await until('the lock is lifted', async () => (await attempt(TEST_PASSWORD)).status === 200, 10_000);
      // the success reset the count: the free failures are free again
      for (let failure = 1; failure <= FREE_FAILURES; failure += 1) await attempt('mauvais').expect(401);
    });

    it('backs off the same way for an address without an account, so the lock tells nothing', async () => {
      const attempt = () => t.http().post('/api/auth/login').send({ email: 'personne@example.org', password: 'x' });
      for (let failure = 1; failure <= FREE_FAILURES + 1; failure += 1) await attempt().expect(401);
      await attempt().expect(429);
    });

    it('also guards the current password of a password change', async () => {
      const dominique = await t.createUser();
      const change = (currentPassword: string) =>
        t.http().put('/api/me/password').set('Authorization', dominique.auth).send({ currentPassword, newPassword: 'un nouveau secret' });
      for (let failure = 1; failure <= FREE_FAILURES + 1; failure += 1) await change('mauvais').expect(403);
      expect(retryAfter(await change(TEST_PASSWORD).expect(429))).toBeGreaterThanOrEqual(1);
    });

    it('forgets the failures of a quarter of an hour ago: the next one counts from one, and the stale rows go', async () => {
      const dominique = await t.createUser();
      const attempt = (password: string) => t.http().post('/api/auth/login').send({ email: dominique.user.email, password });
      for (let failure = 1; failure <= FREE_FAILURES; failure += 1) await attempt('mauvais').expect(401);
      const database = t.app.get(Database);
      const longAgo = database.timestampParameter(new Date(Date.now() - FAILURES_KEPT_MS - 1000));
      await database.write((manager) =>
        manager.query(`UPDATE "sign_in_failures" SET "lastFailureAt" = ${database.isSqlite ? '?' : '$1'}`, [longAgo]),
      );
      // one more failure would lock the account if the earlier ones still counted
      await attempt('mauvais').expect(401);
      await attempt(TEST_PASSWORD).expect(200);
      expect(await t.dataSource.query('SELECT "account", "failures" FROM "sign_in_failures"')).toEqual([]);
    });

    it('counts the failures made on every instance of one database together', async () => {
      const file = join(tmpdir(), `essor-backoff-${randomUUID()}.sqlite`);
      const database = await testDatabaseUrl(process.env.TEST_DATABASE_URL ? undefined : file);
      const one = await createTestApp({ databaseUrl: database.url });
      const two = await createTestApp({ databaseUrl: database.url });
      try {
        const camille = await one.createUser();
        const attempt = (app: TestApp, password: string) => app.http().post('/api/auth/login').send({ email: camille.user.email, password });
        // the guesses alternate between the instances: neither makes more than half of them
        for (let failure = 1; failure <= FREE_FAILURES + 1; failure += 1) await attempt(failure % 2 ? one : two, 'mauvais').expect(401);
        await attempt(one, TEST_PASSWORD).expect(429);
        await attempt(two, TEST_PASSWORD).expect(429);
      } finally {
        await two.close();
        await one.close();
        await database.drop();
        for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
      }
    });

    it('doubles the lock from one second and never locks anyone out for more than five minutes', () => {
      expect([1, FREE_FAILURES].map(lockSeconds)).toEqual([0, 0]);
      expect([1, 2, 3, 4].map((extra) => lockSeconds(FREE_FAILURES + extra))).toEqual([1, 2, 4, 8]);
      expect(lockSeconds(FREE_FAILURES + 100)).toBe(MAX_LOCK_SECONDS);
      expect(MAX_LOCK_SECONDS).toBeLessThanOrEqual(300);
    });
  });
});
