import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LiveNotification } from '../../src/live/live-events';
import { closeAllClients, connect, send } from './live-client';
import { ServerProcess, sqliteServerEnv, startServer } from './server-process';

const ROUNDS = 2;
const ADMIN = { email: 'notifications-durables@example.org', password: 'motdepasse-durable' };
const MENTIONED = { email: 'veilleuse@example.org', password: 'motdepasse-veilleuse', displayName: 'Veilleuse Durable' };

/**
 * Notifications are written in the post's own transaction: the server is killed (SIGKILL) while posts that each
 * mention a person are sent live; after a restart, every acknowledged post has its notification for that person.
 */
describe('notifications of acknowledged posts survive a SIGKILL (child process, SQLite file)', () => {
  let directory: string;
  let env: Record<string, string>;
  let server: ServerProcess | undefined;

  async function api<T>(path: string, token: string | null, init: RequestInit = {}): Promise<T> {
    const response = await fetch(`${server!.url}/api${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...init.headers },
    });
    if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  /** Every notification of the person, paged by the Link header as a client would. */
  async function allNotifications(token: string): Promise<LiveNotification[]> {
    const found: LiveNotification[] = [];
    for (let path: string | null = '/notifications?limit=200'; path;) {
      const response = await fetch(`${server!.url}/api${path}`, { headers: { authorization: `Bearer ${token}` } });
      found.push(...((await response.json()) as LiveNotification[]));
      const next = /<([^>]+)>; rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
      path = next ? new URL(next).pathname.replace(/^\/api/, '') + new URL(next).search : null;
    }
    return found;
  }

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'essor-notifications-durability-'));
    env = await sqliteServerEnv(directory, ADMIN, { RATE_LIMIT_POSTS_PER_10S: '100000' });
    server = await startServer(env);
  }, 120_000);

  afterAll(async () => {
    closeAllClients();
    await server?.stop('SIGKILL');
    rmSync(directory, { recursive: true, force: true });
  });

  it(`keeps the notification of every acknowledged post over ${ROUNDS} kills`, async () => {
    const adminToken = (await api<{ accessToken: string }>('/auth/login', null, { method: 'POST', body: JSON.stringify(ADMIN) })).accessToken;
    const invitation = await api<{ code: string }>('/invitations', adminToken, { method: 'POST', body: JSON.stringify({ email: MENTIONED.email }) });
    const registered = await api<{ accessToken: string }>('/auth/register', null, {
      method: 'POST',
      body: JSON.stringify({ ...MENTIONED, invitationCode: invitation.code }),
    });
    const mentionedToken = registered.accessToken;
    const topics = await api<{ id: string }[]>('/topics', adminToken);
    const created = await api<{ thread: { id: string } }>(`/topics/${topics[0].id}/threads`, adminToken, {
      method: 'POST',
      body: JSON.stringify({ title: 'Notifications durables', body: 'Chaque message acquitté notifie.' }),
    });
    const threadId = created.thread.id;
    const { handle } = await api<{ handle: string }>('/auth/me', mentionedToken);

    const acked = new Map<string, number>();
    for (let round = 1; round <= ROUNDS; round++) {
      const socket = await connect(server!.url, adminToken);
      const killAfterMs = 200 + Math.floor(Math.random() * 1000);
      const kill = new Promise<void>((resolve) => setTimeout(resolve, killAfterMs)).then(() => server!.stop('SIGKILL'));
      for (let index = 0; socket.connected; index++) {
        try {
          const ack = await send(socket, 'post:create', {
            threadId,
            body: `@${handle} message ${index} du tour ${round}`,
            clientKey: `notify-${round}-${index}`,
          });
          if (!ack.ok) throw new Error(`post refused: ${JSON.stringify(ack)}\n${server!.output().slice(-3000)}`);
          acked.set(ack.post.id, ack.post.seq);
        } catch (error) {
          if (socket.connected) throw error;
        }
      }
      await kill;
      socket.close();
      server = await startServer(env);

      const notified = new Set((await allNotifications(mentionedToken)).filter((n) => n.kind === 'mention').map((n) => n.postId));
      const missing = [...acked.keys()].filter((postId) => !notified.has(postId));
      expect({ round, acked: acked.size, missing }).toEqual({ round, acked: acked.size, missing: [] });
    }
    expect(acked.size).toBeGreaterThan(0);
  }, 240_000);
});
