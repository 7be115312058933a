import type { LivePost } from '../../src/live/live-events';
import { PostsService } from '../../src/posts/posts.service';
import { createTestApp, discussionCast, TestApp, TestUser } from '../support/test-app';
import { until } from '../support/until';
import { closeAllClients, connect, flushed, LiveClient, nextEvent, ok, raw, record, send, untyped } from './live-client';

describe('live threads and posts (socket.io /live)', () => {
  let t: TestApp;
  let alice: TestUser;
  let bruno: TestUser;
  let moderator: TestUser;
  let topicId: string;

  beforeAll(async () => {
    t = await createTestApp();
    ({ alice, bruno, moderator, topicId } = await discussionCast(t));
  });
  afterEach(() => closeAllClients());
  afterAll(() => t.close());

  async function newThread(): Promise<string> {
    const { body } = await t
      .http()
      .post(`/api/topics/${topicId}/threads`)
      .set('Authorization', alice.auth)
      .send({ title: 'En direct', body: 'Premier message' })
      .expect(201);
    return body.thread.id as string;
  }

  async function httpPost(user: TestUser, threadId: string, body: string): Promise<LivePost> {
    const response = await t.http().post(`/api/threads/${threadId}/posts`).set('Authorization', user.auth).send({ body }).expect(201);
    return response.body as LivePost;
  }

  async function subscribed(user: TestUser, threadId: string, afterSeq?: number): Promise<LiveClient> {
    const socket = await connect(t.url, user.token);
    ok(await send(socket, 'thread:subscribe', { threadId, afterSeq }));
    return socket;
  }

  const seqs = (posts: { seq: number }[]) => posts.map((post) => post.seq);
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index);

  it('acks post:create with the stored post, then the room (HTTP readers too) hears post:created', async () => {
    const threadId = await newThread();
    const sender = await connect(t.url, alice.token);
    const listener = await subscribed(bruno, threadId);
    const heard = nextEvent(listener, 'post:created');
    const ack = ok(await send(sender, 'post:create', { threadId, body: 'Bonjour **en direct**', clientKey: 'live-1' }));
    expect(ack.post).toMatchObject({
      threadId,
      seq: 2,
      body: 'Bonjour **en direct**',
      clientKey: 'live-1',
      author: { id: alice.user.id, displayName: 'Alice', metropolis: { slug: 'nantes-metropole' } },
    });
    expect(await heard).toEqual(ack.post);
    const page = await t.http().get(`/api/threads/${threadId}`).set('Authorization', bruno.auth).expect(200);
    expect(page.body.posts.map((post: LivePost) => post.id)).toContain(ack.post.id);
  });

  it('broadcasts a post made over HTTP the same way', async () => {
    const threadId = await newThread();
    const listener = await subscribed(bruno, threadId);
    const heard = nextEvent(listener, 'post:created');
    const post = await httpPost(alice, threadId, 'Posté par HTTP');
    expect(await heard).toEqual(post);
  });

  it('broadcasts an edit and a hide as post:updated, a delete as post:deleted', async () => {
    const threadId = await newThread();
    const post = await httpPost(alice, threadId, 'Version 1');
    const listener = await subscribed(bruno, threadId);

    let heard = nextEvent(listener, 'post:updated');
    await t.http().patch(`/api/posts/${post.id}`).set('Authorization', alice.auth).send({ body: 'Version 2' }).expect(200);
    expect(await heard).toMatchObject({ id: post.id, seq: post.seq, body: 'Version 2', editedAt: expect.any(String), hidden: false });

    heard = nextEvent(listener, 'post:updated');
    await t.http().post(`/api/posts/${post.id}/hide`).set('Authorization', moderator.auth).expect(200);
    expect(await heard).toMatchObject({ id: post.id, hidden: true, body: '' });

    const deleted = nextEvent(listener, 'post:deleted');
    await t.http().delete(`/api/posts/${post.id}`).set('Authorization', alice.auth).expect(200);
    expect(await deleted).toMatchObject({ id: post.id, seq: post.seq, deleted: true, body: '' });
  });

  it('stops broadcasting to a socket after thread:unsubscribe', async () => {
    const threadId = await newThread();
    const listener = await subscribed(bruno, threadId);
    const heard = record(listener, 'post:created');
    expect(await send(listener, 'thread:unsubscribe', { threadId })).toEqual({ ok: true });
    await httpPost(alice, threadId, 'Personne ne m’entend');
    await flushed(listener);
    expect(heard).toEqual([]);
  });

  it('sends typing to the others in the thread, not to the typist, at most once per 2 s', async () => {
    const threadId = await newThread();
    const typist = await subscribed(alice, threadId);
    const typistOtherTab = await subscribed(alice, threadId);
    const reader = await subscribed(bruno, threadId);
    const typistHeard = record(typist, 'typing');
    const otherTabHeard = record(typistOtherTab, 'typing');
    const readerHeard = record(reader, 'typing');

    const first = nextEvent(reader, 'typing');
    expect(await send(typist, 'typing', { threadId })).toEqual({ ok: true });
    expect(await first).toEqual({ threadId, user: { id: alice.user.id, displayName: 'Alice' } });
    expect(await send(typist, 'typing', { threadId })).toEqual({ ok: true });
    await Promise.all([flushed(reader), flushed(typist), flushed(typistOtherTab)]);
    expect(readerHeard).toHaveLength(1);
    expect(typistHeard).toEqual([]);
    expect(otherTabHeard).toEqual([]);

    const outsider = await connect(t.url, bruno.token);
    expect(await send(outsider, 'typing', { threadId })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('rate-limits typing beyond 30 events in 10 s', async () => {
    const threadId = await newThread();
    const typist = await subscribed(await t.createUser(), threadId);
    const answers = [];
    for (let index = 0; index < 31; index++) answers.push(await send(typist, 'typing', { threadId }));
    expect(answers.slice(0, 30).every((answer) => answer.ok)).toBe(true);
    expect(answers[30]).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
  });

  it('catches up after a reconnection: the 50 posts made meanwhile, in order, none twice', async () => {
    const threadId = await newThread();
    const reader = await connect(t.url, bruno.token);
    const first = ok(await send(reader, 'thread:subscribe', { threadId }));
    expect(first).toMatchObject({ hasMore: false, lastSeq: 1 });
    const lastSeen = first.posts.at(-1)!.seq;
    reader.close();

    const writer = await connect(t.url, alice.token);
    for (let index = 0; index < 50; index++)
      ok(await send(writer, 'post:create', { threadId, body: `pendant l’absence ${index}`, clientKey: `absent-${threadId}-${index}` }));

    const back = await connect(t.url, bruno.token);
    const page = ok(await send(back, 'thread:subscribe', { threadId, afterSeq: lastSeen }));
    expect(seqs(page.posts)).toEqual(range(2, 51));
    expect(page.posts.map((post) => post.body)).toEqual(Array.from({ length: 50 }, (_, index) => `pendant l’absence ${index}`));
    expect(page).toMatchObject({ hasMore: false, lastSeq: 51 });
  });

  it('loses nothing posted while subscribing: page ∪ events covers every seq', async () => {
    const threadId = await newThread();
    const reader = await connect(t.url, bruno.token);
    const events = record(reader, 'post:created');
    let stored = 0;
    const writing = Promise.all(range(1, 60).map((index) => httpPost(alice, threadId, `rafale ${index}`).then(() => (stored += 1))));
    // subscribe in the middle of the burst
    await until('a few posts of the burst stored', () => stored >= 5);
    const page = ok(await send(reader, 'thread:subscribe', { threadId }));
    await writing;
    await flushed(reader);
    const seen = new Set([...seqs(page.posts), ...seqs(events)]);
    expect([...seen].sort((a, b) => a - b)).toEqual(range(1, 61));
  });

  it('pages a gap of more than 200 posts with hasMore', async () => {
    const threadId = await newThread();
    for (let batch = 0; batch < 5; batch++) {
      await Promise.all(range(1, 50).map((index) => httpPost(bruno, threadId, `lot ${batch} n° ${index}`)));
    }
    const reader = await connect(t.url, alice.token);
    const first = ok(await send(reader, 'thread:subscribe', { threadId, afterSeq: 0 }));
    expect(seqs(first.posts)).toEqual(range(1, 200));
    expect(first).toMatchObject({ hasMore: true, lastSeq: 251 });
    const second = ok(await send(reader, 'thread:subscribe', { threadId, afterSeq: 200 }));
    expect(seqs(second.posts)).toEqual(range(201, 251));
    expect(second).toMatchObject({ hasMore: false, lastSeq: 251 });
  });

  it('makes one post (and one broadcast) of a post sent twice with the same clientKey', async () => {
    const threadId = await newThread();
    const sender = await connect(t.url, alice.token);
    const listener = await subscribed(bruno, threadId);
    const heard = record(listener, 'post:created');
    const payload = { threadId, body: 'Envoyé deux fois', clientKey: `retry-${threadId}` };
    const first = ok(await send(sender, 'post:create', payload));
    const again = ok(await send(sender, 'post:create', payload));
    const [racing1, racing2] = await Promise.all([
      send(sender, 'post:create', { ...payload, clientKey: `race-${threadId}` }),
      send(sender, 'post:create', { ...payload, clientKey: `race-${threadId}` }),
    ]);
    expect(again.post).toEqual(first.post);
    expect(ok(racing1).post.id).toBe(ok(racing2).post.id);
    await flushed(listener);
    expect(heard.map((post) => post.clientKey)).toEqual([`retry-${threadId}`, `race-${threadId}`]);
    const page = await t.http().get(`/api/threads/${threadId}`).set('Authorization', bruno.auth).expect(200);
    expect(page.body.posts).toHaveLength(3);
  });

  describe('malformed payloads are answered bad_request, naming the field, and the socket keeps working', () => {
    const uuid = '00000000-0000-4000-8000-000000000000';
    let threadId: string;
    let socket: LiveClient;

    beforeAll(async () => {
      threadId = await newThread();
    });
    beforeEach(async () => {
      socket = await connect(t.url, alice.token);
    });

    const cases: [event: string, mentions: string, payload: () => unknown][] = [
      ['post:create', 'payload doit être un objet', () => null],
      ['post:create', 'payload doit être un objet', () => 'Bonjour'],
      ['post:create', 'payload doit être un objet', () => 42],
      ['post:create', 'payload doit être un objet', () => [{ threadId, body: 'dans un tableau' }]],
      ['post:create', 'threadId', () => ({})],
      ['post:create', 'body', () => ({ threadId })],
      ['post:create', 'threadId doit être un UUID.', () => ({ threadId: 'pas-un-uuid', body: 'Bonjour' })],
      ['post:create', 'body doit être une chaîne de caractères.', () => ({ threadId, body: 42 })],
      ['post:create', 'body doit être une chaîne de caractères.', () => ({ threadId, body: { text: 'objet' } })],
      ['post:create', 'body ne doit pas être vide.', () => ({ threadId, body: '   \n ' })],
      ['post:create', 'body doit compter au plus 20000 caractères.', () => ({ threadId, body: 'x'.repeat(25_000) })],
      ['post:create', 'body doit compter au plus 20000 caractères.', () => ({ threadId, body: 'x'.repeat(1_500_000) })],
      ['post:create', 'La propriété admin n’est pas autorisée.', () => ({ threadId, body: 'Bonjour', admin: true })],
      ['post:create', 'parentId doit être un UUID.', () => ({ threadId, body: 'Bonjour', parentId: 'parent' })],
      ['post:create', 'clientKey', () => ({ threadId, body: 'Bonjour', clientKey: 'avec espace' })],
      ['thread:subscribe', 'payload doit être un objet', () => undefined],
      ['thread:subscribe', 'threadId doit être un UUID.', () => ({ threadId: 12 })],
      ['thread:subscribe', 'afterSeq doit être supérieur ou égal à 0.', () => ({ threadId, afterSeq: -1 })],
      ['thread:subscribe', 'afterSeq doit être un nombre entier.', () => ({ threadId, afterSeq: '3' })],
      ['thread:subscribe', 'afterSeq doit être un nombre entier.', () => ({ threadId, afterSeq: 1.5 })],
      ['thread:subscribe', 'La propriété since n’est pas autorisée.', () => ({ threadId, since: 3 })],
      ['poll:vote', 'pollId doit être un UUID.', () => ({ pollId: 'sondage', optionIndex: 0 })],
      ['poll:vote', 'optionIndex', () => ({ pollId: uuid })],
      ['poll:vote', 'optionIndex doit être un nombre entier.', () => ({ pollId: uuid, optionIndex: '1' })],
      ['poll:vote', 'optionIndex doit être supérieur ou égal à 0.', () => ({ pollId: uuid, optionIndex: -1 })],
      ['poll:vote', 'La propriété weight n’est pas autorisée.', () => ({ pollId: uuid, optionIndex: 0, weight: 10 })],
      ['poll:vote', 'payload doit être un objet', () => 'oui'],
    ];

    it.each(cases)('%s → bad_request mentioning "%s"', async (event, mentions, payload) => {
      const value = payload();
      const answer = value === undefined ? await raw(socket, event) : await raw(socket, event, value);
      expect(answer).toMatchObject({ ok: false, error: { code: 'bad_request' } });
      expect(answer.ok || answer.error.message).toContain(mentions);
      expect(socket.connected).toBe(true);
      expect(ok(await send(socket, 'thread:subscribe', { threadId, afterSeq: 0 })).posts.length).toBeGreaterThan(0);
    });

    it('answers several arguments bad_request and survives events sent without an ack callback', async () => {
      expect(await raw(socket, 'post:create', { threadId, body: 'a' }, 'de trop')).toMatchObject({ ok: false, error: { code: 'bad_request' } });
      untyped(socket).emit('post:create', { threadId, body: 42 });
      untyped(socket).emit('thread:subscribe');
      const heard = nextEvent(socket, 'post:created', (post) => post.body === 'sans accusé de réception');
      ok(await send(socket, 'thread:subscribe', { threadId }));
      untyped(socket).emit('post:create', { threadId, body: 'sans accusé de réception' });
      expect(await heard).toMatchObject({ threadId, body: 'sans accusé de réception' });
      expect(ok(await send(socket, 'post:create', { threadId, body: 'toujours là' })).post.body).toBe('toujours là');
    });

    it('answers an unexpected failure internal with a correlation id, and the socket goes on', async () => {
      const posts = t.app.get(PostsService);
      const failure = jest.spyOn(posts, 'create').mockRejectedValueOnce(new Error('disk on fire'));
      const answer = await raw(socket, 'post:create', { threadId, body: 'malchanceux' });
      failure.mockRestore();
      expect(answer).toEqual({
        ok: false,
        error: { code: 'internal', message: expect.stringMatching(/^Erreur interne \(identifiant de corrélation [0-9a-f-]{36}\)\.$/) },
      });
      expect(JSON.stringify(answer)).not.toContain('disk on fire');
      expect(ok(await send(socket, 'post:create', { threadId, body: 'la suite' })).post.body).toBe('la suite');
    });
  });
});

describe('live post rate limit (shared with HTTP)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { RATE_LIMIT_POSTS_PER_10S: '3' } });
  });
  afterEach(() => closeAllClients());
  afterAll(() => t.close());

  it('answers the 4th post in 10 s rate_limited, counting HTTP and live together', async () => {
    const author = await t.createUser();
    const topics = await t.http().get('/api/topics').set('Authorization', author.auth).expect(200);
    const { body } = await t
      .http()
      .post(`/api/topics/${topics.body[0].id}/threads`)
      .set('Authorization', author.auth)
      .send({ title: 'Limite', body: 'Un' })
      .expect(201);
    const threadId = body.thread.id as string;
    const socket = await connect(t.url, author.token);
    await t.http().post(`/api/threads/${threadId}/posts`).set('Authorization', author.auth).send({ body: 'deux (HTTP)' }).expect(201);
    ok(await send(socket, 'post:create', { threadId, body: 'trois' }));
    // the thread's first post counted too
    const fourth = await send(socket, 'post:create', { threadId, body: 'quatre' });
    expect(fourth).toMatchObject({
      ok: false,
      error: { code: 'rate_limited', message: expect.stringContaining('Trop de messages : 3 au plus toutes les 10 secondes') },
    });
    expect(socket.connected).toBe(true);
  });
});
