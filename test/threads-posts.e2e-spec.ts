import { createTestApp, discussionCast, TestApp, TestUser } from './support/test-app';

describe('threads and posts (HTTP)', () => {
  let t: TestApp;
  let alice: TestUser;
  let bruno: TestUser;
  let moderator: TestUser;
  let topicId: string;

  beforeAll(async () => {
    t = await createTestApp();
    ({ alice, bruno, moderator, topicId } = await discussionCast(t, 1));
  });
  afterAll(() => t.close());

  async function newThread(title = 'Indicateurs', body = 'Premier message') {
    const { body: created } = await t
      .http()
      .post(`/api/topics/${topicId}/threads`)
      .set('Authorization', alice.auth)
      .send({ title, body })
      .expect(201);
    return created as { thread: { id: string }; post: { id: string; seq: number } };
  }

  it('opens a thread with its first post at seq 1 and shows it in the topic', async () => {
    const created = await newThread('Quels indicateurs ?', 'Bonjour à **tous**');
    expect(created.thread).toMatchObject({
      title: 'Quels indicateurs ?',
      topicId,
      postCount: 1,
      lastSeq: 1,
      author: { displayName: 'Alice', metropolis: { slug: 'nantes-metropole' } },
    });
    expect(created.post).toMatchObject({ seq: 1, parentId: null, body: 'Bonjour à **tous**', deleted: false, hidden: false, editedAt: null });
    const list = await t.http().get(`/api/topics/${topicId}/threads`).set('Authorization', bruno.auth).expect(200);
    expect(list.body[0].id).toBe(created.thread.id);
  });

  it('gives 50 concurrent posts the seqs 1..50 with no gap and no duplicate', async () => {
    const { thread } = await newThread();
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        t
          .http()
          .post(`/api/threads/${thread.id}/posts`)
          .set('Authorization', index % 2 ? alice.auth : bruno.auth)
          .send({ body: `message ${index}` }),
      ),
    );
    expect(responses.every((response) => response.status === 201)).toBe(true);
    const seqs = responses.map((response) => response.body.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 50 }, (_, index) => index + 2));
    const page = await t.http().get(`/api/threads/${thread.id}?limit=200`).set('Authorization', alice.auth).expect(200);
    expect(page.body.thread).toMatchObject({ postCount: 51, lastSeq: 51 });
    expect(page.body.posts.map((post: { seq: number }) => post.seq)).toEqual(Array.from({ length: 51 }, (_, index) => index + 1));
  });

  it('pages a thread by afterSeq and says hasMore', async () => {
    const { thread } = await newThread();
    for (let index = 0; index < 4; index++) {
      await t
        .http()
        .post(`/api/threads/${thread.id}/posts`)
        .set('Authorization', alice.auth)
        .send({ body: `suite ${index}` })
        .expect(201);
    }
    const first = await t.http().get(`/api/threads/${thread.id}?afterSeq=0&limit=3`).set('Authorization', bruno.auth).expect(200);
    expect(first.body.posts.map((post: { seq: number }) => post.seq)).toEqual([1, 2, 3]);
    expect(first.body.hasMore).toBe(true);
    const rest = await t.http().get(`/api/threads/${thread.id}?afterSeq=3&limit=3`).set('Authorization', bruno.auth).expect(200);
    expect(rest.body.posts.map((post: { seq: number }) => post.seq)).toEqual([4, 5]);
    expect(rest.body.hasMore).toBe(false);
    await t.http().get(`/api/threads/${thread.id}?afterSeq=-1`).set('Authorization', bruno.auth).expect(400);
    await t.http().get(`/api/threads/${thread.id}?limit=201`).set('Authorization', bruno.auth).expect(400);
  });

  it('returns the first post for a repeated clientKey, even when sent at once', async () => {
    const { thread } = await newThread();
    const first = await t
      .http()
      .post(`/api/threads/${thread.id}/posts`)
      .set('Authorization', bruno.auth)
      .send({ body: 'Une fois', clientKey: 'k-123' })
      .expect(201);
    const again = await t
      .http()
      .post(`/api/threads/${thread.id}/posts`)
      .set('Authorization', bruno.auth)
      .send({ body: 'Une fois', clientKey: 'k-123' })
      .expect(201);
    expect(again.body.id).toBe(first.body.id);
    const burst = await Promise.all(
      Array.from({ length: 5 }, () =>
        t.http().post(`/api/threads/${thread.id}/posts`).set('Authorization', alice.auth).send({ body: 'Rafale', clientKey: 'burst-1' }),
      ),
    );
    expect(new Set(burst.map((response) => response.body.id)).size).toBe(1);
    // the same key from another author is another post
    const other = await t
      .http()
      .post(`/api/threads/${thread.id}/posts`)
      .set('Authorization', moderator.auth)
      .send({ body: 'Autre', clientKey: 'k-123' })
      .expect(201);
    expect(other.body.id).not.toBe(first.body.id);
    const page = await t.http().get(`/api/threads/${thread.id}`).set('Authorization', alice.auth).expect(200);
    expect(page.body.posts).toHaveLength(4);
  });

  it('nests replies and refuses a parent from another thread', async () => {
    const a = await newThread();
    const b = await newThread();
    const reply = await t
      .http()
      .post(`/api/threads/${a.thread.id}/posts`)
      .set('Authorization', bruno.auth)
      .send({ body: 'Réponse', parentId: a.post.id })
      .expect(201);
    expect(reply.body.parentId).toBe(a.post.id);
    const wrong = await t
      .http()
      .post(`/api/threads/${b.thread.id}/posts`)
      .set('Authorization', bruno.auth)
      .send({ body: 'Réponse', parentId: a.post.id })
      .expect(400);
    expect(wrong.body.message.join(' ')).toContain('parentId');
    await t
      .http()
      .post(`/api/threads/${b.thread.id}/posts`)
      .set('Authorization', bruno.auth)
      .send({ body: 'Réponse', parentId: 'pas-un-uuid' })
      .expect(400);
  });

  it('validates the body: blank, too long, unknown fields, malformed JSON, over 1 MB', async () => {
    const { thread } = await newThread();
    const url = `/api/threads/${thread.id}/posts`;
    const blank = await t.http().post(url).set('Authorization', alice.auth).send({ body: ' \n ' }).expect(400);
    expect(blank.body.message).toEqual(expect.arrayContaining(['body ne doit pas être vide.']));
    await t
      .http()
      .post(url)
      .set('Authorization', alice.auth)
      .send({ body: 'x'.repeat(20_000) })
      .expect(201);
    const long = await t
      .http()
      .post(url)
      .set('Authorization', alice.auth)
      .send({ body: 'x'.repeat(20_001) })
      .expect(400);
    expect(long.body.message.join(' ')).toContain('body doit compter au plus 20000 caractères.');
    const unknown = await t.http().post(url).set('Authorization', alice.auth).send({ body: 'ok', author: 'moi' }).expect(400);
    expect(unknown.body.message).toEqual(['La propriété author n’est pas autorisée.']);
    const malformed = await t
      .http()
      .post(url)
      .set('Authorization', alice.auth)
      .set('Content-Type', 'application/json')
      .send('{"body": "oups"')
      .expect(400);
    expect(malformed.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    const huge = await t
      .http()
      .post(url)
      .set('Authorization', alice.auth)
      .send({ body: 'x'.repeat(1_100_000) });
    expect(huge.status).toBe(413);
    await t.http().post('/api/threads/7c9e6679-7425-40de-944b-e07fc1f90ae7/posts').set('Authorization', alice.auth).send({ body: 'ok' }).expect(404);
  });

  it('lets the author edit (marked) and delete (soft), and refuses others', async () => {
    const { thread, post } = await newThread('Édition', 'Version 1');
    await t.http().patch(`/api/posts/${post.id}`).set('Authorization', bruno.auth).send({ body: 'Piraté' }).expect(403);
    const edited = await t.http().patch(`/api/posts/${post.id}`).set('Authorization', alice.auth).send({ body: 'Version 2' }).expect(200);
    expect(edited.body.body).toBe('Version 2');
    expect(edited.body.editedAt).not.toBeNull();
    const reply = await t
      .http()
      .post(`/api/threads/${thread.id}/posts`)
      .set('Authorization', bruno.auth)
      .send({ body: 'Réponse', parentId: post.id })
      .expect(201);
    await t.http().delete(`/api/posts/${post.id}`).set('Authorization', bruno.auth).expect(403);
    const deleted = await t.http().delete(`/api/posts/${post.id}`).set('Authorization', alice.auth).expect(200);
    expect(deleted.body).toMatchObject({ deleted: true, body: '' });
    const page = await t.http().get(`/api/threads/${thread.id}`).set('Authorization', moderator.auth).expect(200);
    expect(page.body.posts.map((p: { seq: number; deleted: boolean; body: string }) => [p.seq, p.deleted, p.body])).toEqual([
      [1, true, ''],
      [2, false, 'Réponse'],
    ]);
    expect(page.body.posts[1].parentId).toBe(post.id);
    expect(reply.body.seq).toBe(2);
    await t.http().patch(`/api/posts/${post.id}`).set('Authorization', alice.auth).send({ body: 'Retour' }).expect(409);
  });

  it('lets moderators hide and unhide; hidden bodies stay readable by moderators and the author only', async () => {
    const { thread, post } = await newThread('Masquage', 'Contenu discutable');
    const read = async (reader: TestUser) =>
      (await t.http().get(`/api/threads/${thread.id}`).set('Authorization', reader.auth).expect(200)).body.posts[0];
    // pages already read (and kept by the page cache) must not outlive a change
    expect(await read(bruno)).toMatchObject({ hidden: false, body: 'Contenu discutable' });
    expect((await read(moderator)).body).toBe('Contenu discutable');
    await t.http().post(`/api/posts/${post.id}/hide`).set('Authorization', bruno.auth).expect(403);
    const hidden = await t.http().post(`/api/posts/${post.id}/hide`).set('Authorization', moderator.auth).expect(200);
    expect(hidden.body).toMatchObject({ hidden: true, body: 'Contenu discutable' });
    // the author reads first: their copy, with the body, must not be the one other participants get
    expect((await read(alice)).body).toBe('Contenu discutable');
    expect(await read(bruno)).toMatchObject({ hidden: true, body: '' });
    expect((await read(alice)).body).toBe('Contenu discutable');
    expect((await read(moderator)).body).toBe('Contenu discutable');
    await t.http().post(`/api/posts/${post.id}/unhide`).set('Authorization', moderator.auth).expect(200);
    expect(await read(bruno)).toMatchObject({ hidden: false, body: 'Contenu discutable' });
    await t.http().patch(`/api/posts/${post.id}`).set('Authorization', alice.auth).send({ body: 'Contenu reformulé' }).expect(200);
    expect(await read(bruno)).toMatchObject({ body: 'Contenu reformulé' });
    const page = await t
      .http()
      .get(`/api/threads/${thread.id}`)
      .set('Authorization', bruno.auth)
      .expect('Content-Type', /application\/json/);
    expect(page.body.thread).toMatchObject({ id: thread.id, postCount: 1 });
  });

  it('tags the thread page with an ETag and answers 304 while the page stays the same', async () => {
    const { thread } = await newThread('Version', 'Un');
    const get = (etag?: string) => {
      const request = t.http().get(`/api/threads/${thread.id}`).set('Authorization', bruno.auth);
      return etag ? request.set('If-None-Match', etag) : request;
    };
    const first = await get().expect(200);
    const etag = first.headers.etag;
    expect(etag).toMatch(/^W\/"/);
    expect(Number(first.headers['content-length'])).toBe(Buffer.byteLength(first.text));
    const unchanged = await get(etag).expect(304);
    expect(unchanged.text ?? '').toBe('');
    await t.http().post(`/api/threads/${thread.id}/posts`).set('Authorization', alice.auth).send({ body: 'Deux' }).expect(201);
    const afterPost = await get(etag).expect(200);
    expect(afterPost.body.posts).toHaveLength(2);
    expect(afterPost.body.thread).toMatchObject({ postCount: 2, lastSeq: 2 });
    await t
      .http()
      .patch(`/api/threads/${thread.id}`)
      .set('Authorization', moderator.auth)
      .send({ title: 'Version renommée', locked: true })
      .expect(200);
    const afterRename = await get(afterPost.headers.etag).expect(200);
    expect(afterRename.body.thread).toMatchObject({ title: 'Version renommée', locked: true, postCount: 2 });
    expect(new Set([etag, afterPost.headers.etag, afterRename.headers.etag]).size).toBe(3);
  });

  it('lets moderators lock, pin and rename threads; a locked thread takes posts from moderators only', async () => {
    const { thread } = await newThread('Verrou');
    await t.http().patch(`/api/threads/${thread.id}`).set('Authorization', alice.auth).send({ locked: true }).expect(403);
    const locked = await t
      .http()
      .patch(`/api/threads/${thread.id}`)
      .set('Authorization', moderator.auth)
      .send({ locked: true, pinned: true, title: 'Verrouillé' })
      .expect(200);
    expect(locked.body).toMatchObject({ locked: true, pinned: true, title: 'Verrouillé' });
    await t.http().post(`/api/threads/${thread.id}/posts`).set('Authorization', alice.auth).send({ body: 'Encore ?' }).expect(403);
    await t.http().post(`/api/threads/${thread.id}/posts`).set('Authorization', moderator.auth).send({ body: 'Clos.' }).expect(201);
    const list = await t.http().get(`/api/topics/${topicId}/threads`).set('Authorization', alice.auth).expect(200);
    expect(list.body[0].id).toBe(thread.id);
  });

  it('pages the thread list with a Link header', async () => {
    const topic = await t.http().post('/api/topics').set('Authorization', moderator.auth).send({ title: 'Pagination' }).expect(201);
    for (let index = 0; index < 5; index++) {
      await t
        .http()
        .post(`/api/topics/${topic.body.id}/threads`)
        .set('Authorization', alice.auth)
        .send({ title: `Fil ${index}`, body: 'x' })
        .expect(201);
    }
    const seen: string[] = [];
    let next: string | undefined = `/api/topics/${topic.body.id}/threads?limit=2`;
    let pages = 0;
    while (next) {
      const response = await t.http().get(next).set('Authorization', alice.auth).expect(200);
      seen.push(...response.body.map((thread: { title: string }) => thread.title));
      const link = response.headers.link as string | undefined;
      next = link ? new URL(link.match(/<([^>]+)>/)![1]).pathname + new URL(link.match(/<([^>]+)>/)![1]).search : undefined;
      pages++;
    }
    expect(pages).toBe(3);
    // threads made within one millisecond may tie on activity; each still appears exactly once
    expect([...seen].sort()).toEqual(['Fil 0', 'Fil 1', 'Fil 2', 'Fil 3', 'Fil 4']);
    await t.http().get(`/api/topics/${topic.body.id}/threads?cursor=bad`).set('Authorization', alice.auth).expect(400);
  });
});
