import type { LivePost } from '../src/live/live-events';
import { closeAllClients, connect, disconnected, nextEvent, ok, send } from './live/live-client';
import { freePort, ServerProcess, startServer } from './live/server-process';
import { until } from './support/until';
import { testDatabaseUrl } from './support/test-app';

const ADMIN = { email: 'echelle@example.org', password: 'motdepasse-echelle' };
const POSTGRES_SERVER = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Two Essor processes on one PostgreSQL database and one Redis, as behind a load balancer (PostgreSQL and Redis run
 * on the development and CI machines; .ci/run starts them when they are down).
 */
describe('scale-out: two instances on PostgreSQL and Redis (child processes)', () => {
  let database: { url: string; drop: () => Promise<void> };
  let one: ServerProcess;
  let two: ServerProcess;
  let token: string;
  let threadId: string;

  async function api<T>(server: ServerProcess, path: string, init: RequestInit = {}, bearer = token): Promise<T> {
    const response = await fetch(`${server.url}/api${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...init.headers },
    });
    if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  async function allPosts(server: ServerProcess): Promise<LivePost[]> {
    const posts: LivePost[] = [];
    for (let hasMore = true; hasMore;) {
      const page = await api<{ posts: LivePost[]; hasMore: boolean }>(server, `/threads/${threadId}?limit=200&afterSeq=${posts.at(-1)?.seq ?? 0}`);
      posts.push(...page.posts);
      hasMore = page.hasMore;
    }
    return posts;
  }

  async function instance(extra: Record<string, string> = {}): Promise<ServerProcess> {
    return startServer({
      NODE_ENV: 'production',
      PORT: String(await freePort()),
      DATABASE_URL: database.url,
      REDIS_URL,
      SEED: 'true',
      LOG_LEVEL: 'warn',
      JWT_SECRET: 'scale-out-test-secret-0123456789abcdef01',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      RATE_LIMIT_POSTS_PER_10S: '100000',
      RATE_LIMIT_REQUESTS_PER_MINUTE: '100000',
      RATE_LIMIT_SIGN_IN_PER_MINUTE: '1000',
      ...extra,
    });
  }

  beforeAll(async () => {
    process.env.TEST_DATABASE_URL ??= POSTGRES_SERVER;
    database = await testDatabaseUrl();
    // both start at once: migrations and seed must still run exactly once
    [one, two] = await Promise.all([instance(), instance()]);
    ({ accessToken: token } = await api<{ accessToken: string }>(one, '/auth/login', { method: 'POST', body: JSON.stringify(ADMIN) }, ''));
    const topics = await api<Array<{ id: string }>>(one, '/topics');
    expect(topics).toHaveLength(4);
    const created = await api<{ thread: { id: string } }>(one, `/topics/${topics[0].id}/threads`, {
      method: 'POST',
      body: JSON.stringify({ title: 'Deux instances', body: 'Départ' }),
    });
    threadId = created.thread.id;
  }, 180_000);

  afterEach(() => closeAllClients());
  afterAll(async () => {
    await Promise.all([one?.stop('SIGKILL'), two?.stop('SIGKILL')]);
    await database?.drop();
  });

  it('delivers a post made on one instance to a subscriber of the other, and shows presence across both', async () => {
    const onOne = await connect(one.url, token);
    const onTwo = await connect(two.url, token);
    ok(await send(onTwo, 'thread:subscribe', { threadId }));
    const heard = nextEvent(onTwo, 'post:created', (post) => post.body === 'Depuis l’instance 1');
    const acked = ok(await send(onOne, 'post:create', { threadId, body: 'Depuis l’instance 1', clientKey: 'cross-1' }));
    expect((await heard).id).toBe(acked.post.id);

    const sessions = await api<Array<{ id: string }>>(one, '/sessions');
    const sessionId = sessions[0].id;
    ok(await send(onOne, 'session:join', { sessionId }));
    const joined = ok(await send(onTwo, 'session:join', { sessionId }));
    // the same person on both instances counts once
    expect(joined.presence.map((user) => user.id)).toHaveLength(1);
    console.log('scale-out: cross-instance delivery and presence ok');
  });

  it('keeps seq unique and gap-free when both instances write to one thread at once', async () => {
    const before = (await allPosts(one)).length;
    const writes = Array.from({ length: 60 }, (_, index) =>
      api<LivePost>(index % 2 ? one : two, `/threads/${threadId}/posts`, { method: 'POST', body: JSON.stringify({ body: `concurrent ${index}` }) }),
    );
    const posts = await Promise.all(writes);
    const all = await allPosts(two);
    expect(all.map((post) => post.seq)).toEqual(Array.from({ length: before + 60 }, (_, index) => index + 1));
    expect(new Set(posts.map((post) => post.seq)).size).toBe(60);
    console.log(`scale-out: 60 concurrent posts through two instances, seqs ${before + 1}..${before + 60}, no gap, no duplicate`);
  });

  it('loses no acknowledged post when an instance is killed; the client catches up on the other', async () => {
    const victim = await instance();
    const writer = await connect(victim.url, token);
    const { lastSeq: seenBefore } = ok(await send(writer, 'thread:subscribe', { threadId }));

    const acked: LivePost[] = [];
    let stop = false;
    const posting = (async () => {
      for (let index = 0; !stop; index++) {
        try {
          const answer = await send(writer, 'post:create', { threadId, body: `avant la panne ${index}`, clientKey: `kill-${index}` });
          if (answer.ok) acked.push(answer.post);
        } catch {
          return; // the ack never came: the instance died
        }
      }
    })();
    // killed at a random point of the stream of posts
    const killAtAck = 10 + Math.floor(Math.random() * 40);
    await until(`${killAtAck} posts acknowledged`, () => acked.length >= killAtAck, 30_000);
    await victim.stop('SIGKILL');
    stop = true;
    await posting;
    await disconnected(writer).catch(() => undefined);
    expect(acked.length).toBeGreaterThan(0);

    // the client reconnects (through "the load balancer") to the surviving instance and catches up from its last seq
    const again = await connect(one.url, token);
    const caught: LivePost[] = [];
    for (let hasMore = true, after = seenBefore; hasMore;) {
      const page = ok(await send(again, 'thread:subscribe', { threadId, afterSeq: after }));
      caught.push(...page.posts);
      hasMore = page.hasMore;
      after = page.posts.at(-1)?.seq ?? after;
    }
    const caughtIds = new Set(caught.map((post) => post.id));
    const missing = acked.filter((post) => !caughtIds.has(post.id));
    expect(missing).toEqual([]);
    expect(caught.map((post) => post.seq)).toEqual(Array.from({ length: caught.length }, (_, index) => seenBefore + index + 1));
    const stored = await allPosts(one);
    expect(stored.map((post) => post.seq)).toEqual(Array.from({ length: stored.length }, (_, index) => index + 1));
    console.log(
      `scale-out: SIGKILL of an instance, acked ${acked.length}, found after reconnecting to the other instance ${acked.length - missing.length} (caught up ${caught.length} posts by afterSeq)`,
    );
  });

  it('drains on SIGTERM: health 503, live clients told to go, new connections refused, then a clean exit', async () => {
    const leaving = await instance({ SHUTDOWN_DELAY_MS: '1500' });
    const client = await connect(leaving.url, token);
    ok(await send(client, 'thread:subscribe', { threadId }));
    const posted = ok(await send(client, 'post:create', { threadId, body: 'juste avant l’arrêt', clientKey: 'term-1' }));
    const told = disconnected(client, 10_000);
    const termAt = Date.now();
    const exited = new Promise<{ code: number | null; signal: string | null; after: number }>((resolve) =>
      leaving.child.once('exit', (code, signal) => resolve({ code, signal, after: Date.now() - termAt })),
    );
    leaving.child.kill('SIGTERM');
    await until('health answers 503 once draining', async () => (await fetch(`${leaving.url}/api/health`)).status === 503);
    await expect(connect(leaving.url, token)).rejects.toThrow('shutting_down');
    expect(await told).toBe('io server disconnect');
    // Nest re-raises the signal once closed; what matters is that it waited out the drain instead of dying at once
    const exit = await exited;
    expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true);
    expect(exit.after).toBeGreaterThanOrEqual(1500);
    const stored = await allPosts(one);
    expect(stored.some((post) => post.id === posted.post.id)).toBe(true);
    console.log(`scale-out: SIGTERM drained in ${exit.after} ms (503 while draining, sockets closed, new connections refused)`);
  });
});
