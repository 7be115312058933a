import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LivePost } from '../../src/live/live-events';
import { closeAllClients, connect, send } from './live-client';
import { ServerProcess, sqliteServerEnv, startServer } from './server-process';

const ROUNDS = 5;
const ADMIN = { email: 'durabilite@example.org', password: 'motdepasse-durable' };

/**
 * An acknowledged post is a stored post: the server is killed (SIGKILL, no shutdown hook) at a random moment while a
 * client posts over live, restarted on the same SQLite file, and every acked post must be there exactly once.
 */
describe('durability of live posts across a SIGKILL (child process, SQLite file)', () => {
  let directory: string;
  let env: Record<string, string>;
  let server: ServerProcess | undefined;
  let token: string;
  let threadId: string;

  async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
    const response = await fetch(`${server!.url}/api${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...init.headers },
    });
    if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  /** Every post of the thread, paged by afterSeq as a client would. */
  async function allPosts(): Promise<LivePost[]> {
    const posts: LivePost[] = [];
    for (let hasMore = true; hasMore;) {
      const page = await api<{ posts: LivePost[]; hasMore: boolean }>(`/threads/${threadId}?limit=200&afterSeq=${posts.at(-1)?.seq ?? 0}`);
      posts.push(...page.posts);
      hasMore = page.hasMore;
    }
    return posts;
  }

  function keyed(posts: LivePost[]): Map<string, LivePost[]> {
    const byKey = new Map<string, LivePost[]>();
    for (const post of posts) if (post.clientKey) byKey.set(post.clientKey, [...(byKey.get(post.clientKey) ?? []), post]);
    return byKey;
  }

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'essor-durability-'));
    env = await sqliteServerEnv(directory, ADMIN, { RATE_LIMIT_POSTS_PER_10S: '100000' });
    server = await startServer(env);
    token = '';
    token = (await api<{ accessToken: string }>('/auth/login', { method: 'POST', body: JSON.stringify(ADMIN) })).accessToken;
    const topics = await api<{ id: string }[]>('/topics');
    const created = await api<{ thread: { id: string } }>(`/topics/${topics[0].id}/threads`, {
      method: 'POST',
      body: JSON.stringify({ title: 'Durabilité', body: 'Chaque message acquitté doit survivre.' }),
    });
    threadId = created.thread.id;
  }, 120_000);

  afterAll(async () => {
    closeAllClients();
    await server?.stop('SIGKILL');
    rmSync(directory, { recursive: true, force: true });
  });

  it(`keeps every acknowledged post exactly once over ${ROUNDS} kills`, async () => {
    const figures: { round: number; killAtAck: number; sent: number; acked: number; found: number; unackedStored: number }[] = [];
    const everAcked = new Map<string, string>();

    for (let round = 1; round <= ROUNDS; round++) {
      const socket = await connect(server!.url, token);
      const acked: string[] = [];
      const sent: string[] = [];
      // killed at a random point of the stream, while the next send is in flight
      const killAtAck = 5 + Math.floor(Math.random() * 60);
      let kill: Promise<void> | undefined;

      // sequential sends, as a client with a send queue does; the loop ends when the connection drops
      for (let index = 0; socket.connected; index++) {
        const clientKey = `durability-${round}-${index}`;
        sent.push(clientKey);
        try {
          const ack = await send(socket, 'post:create', { threadId, body: `Message ${index} du tour ${round}`, clientKey });
          if (!ack.ok) throw new Error(`post refused: ${JSON.stringify(ack)}`);
          acked.push(clientKey);
          everAcked.set(clientKey, ack.post.id);
          if (acked.length === killAtAck) kill = server!.stop('SIGKILL');
        } catch (error) {
          if (socket.connected) throw error;
        }
      }
      await kill;
      socket.close();

      server = await startServer(env);
      const byKey = keyed(await allPosts());
      const found = acked.filter((key) => byKey.get(key)?.length === 1).length;
      const inFlight = sent.at(-1)!;
      const unackedStored = sent.filter((key) => !acked.includes(key) && byKey.has(key)).length;
      figures.push({ round, killAtAck, sent: sent.length, acked: acked.length, found, unackedStored });
      expect(found).toBe(acked.length);

      // the send in flight at the kill is retried with its key, as a client does: it is then stored exactly once
      const retrySocket = await connect(server.url, token);
      const retried = await send(retrySocket, 'post:create', { threadId, body: 'Message renvoyé après la coupure', clientKey: inFlight });
      retrySocket.close();
      if (!retried.ok) throw new Error(`retry refused: ${JSON.stringify(retried)}`);
      const storedBefore = byKey.get(inFlight);
      if (storedBefore) expect(retried.post.id).toBe(storedBefore[0].id);
      everAcked.set(inFlight, retried.post.id);

      const posts = await allPosts();
      const after = keyed(posts);
      expect(acked.length).toBeGreaterThan(0);
      for (const [key, id] of everAcked) expect(after.get(key)?.map((post) => post.id)).toEqual([id]);
      expect([...after.values()].filter((list) => list.length > 1)).toEqual([]);
      expect(posts.map((post) => post.seq)).toEqual(posts.map((_, index) => index + 1));
    }

    console.log(
      [
        'durability (SIGKILL during live posting, SQLite file, restart):',
        ...figures.map(
          (f) =>
            `  round ${f.round}: killed at ack ${f.killAtAck}, sent ${f.sent}, acked ${f.acked}, found exactly once ${f.found}/${f.acked}, in flight at the kill yet stored ${f.unackedStored} (then retried: stored once)`,
        ),
        `  total: acked ${figures.reduce((sum, f) => sum + f.acked, 0)}, found ${figures.reduce((sum, f) => sum + f.found, 0)}`,
      ].join('\n'),
    );
  }, 300_000);
});
