import { EventEmitter2 } from '@nestjs/event-emitter';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { AuditEntry } from '../src/audit/audit-entry.entity';
import { Database, NestedWriteError } from '../src/database/database.service';
import { Revisions } from '../src/database/revisions';
import { Post } from '../src/posts/post.entity';
import { Topic } from '../src/topics/topic.entity';
import { createTestApp, TestApp, TestUser } from './support/test-app';
import { until } from './support/until';

interface TopicRow {
  id: string;
  title: string;
  threadCount: number;
}

/**
 * Writes and the caches that depend on them: explicit revisions, one path per rule, nested writes, reads isolated
 * from uncommitted writes. On SQLite by default, on PostgreSQL with TEST_DATABASE_URL (npm run test:postgres).
 */
describe('writes, revisions and caches', () => {
  let t: TestApp;
  let database: Database;
  let moderator: TestUser;
  let alice: TestUser;
  let topics: TopicRow[];

  beforeAll(async () => {
    t = await createTestApp();
    database = t.app.get(Database);
    moderator = await t.createUser({ role: 'moderator' });
    alice = await t.createUser({ metropolis: 'nantes-metropole', displayName: 'Alice' });
    topics = await topicList();
  });
  afterAll(() => t.close());

  async function topicList(): Promise<TopicRow[]> {
    return (await t.http().get('/api/topics').set('Authorization', alice.auth).expect(200)).body as TopicRow[];
  }
  const countOf = (list: TopicRow[], id: string) => list.find((topic) => topic.id === id)!.threadCount;

  async function newSession(agenda: Array<{ title: string; topicId?: string }>) {
    const response = await t
      .http()
      .post('/api/sessions')
      .set('Authorization', moderator.auth)
      .send({ title: 'Groupe de travail', description: '', startsAt: '2031-03-05T09:00:00Z', agenda })
      .expect(201);
    return response.body as { id: string; agenda: Array<{ id: string; title: string; topicId: string | null; threadId: string }> };
  }
  const editAgenda = (sessionId: string, agenda: Array<Record<string, unknown>>) =>
    t.http().patch(`/api/sessions/${sessionId}`).set('Authorization', moderator.auth).send({ agenda }).expect(200);

  const newThread = (by: TestUser, body = 'Premier message', extra: Record<string, unknown> = {}) =>
    t
      .http()
      .post(`/api/topics/${topics[0].id}/threads`)
      .set('Authorization', by.auth)
      .send({ title: 'Un fil', body, ...extra });
  const threadPage = (threadId: string, by: TestUser = alice) => t.http().get(`/api/threads/${threadId}`).set('Authorization', by.auth).expect(200);

  describe('explicit revisions', () => {
    it('moves a thread count from one topic to another when an agenda edit relinks an item', async () => {
      const [from, to] = [topics[1].id, topics[2].id];
      const session = await newSession([{ title: 'Évaluation', topicId: from }]);
      const before = await topicList();
      await editAgenda(session.id, [{ id: session.agenda[0].id, title: 'Évaluation', topicId: to }]);
      const after = await topicList();
      expect(countOf(after, from)).toBe(countOf(before, from) - 1);
      expect(countOf(after, to)).toBe(countOf(before, to) + 1);
    });

    it('follows an agenda edit that removes one item and adds another, the total count unchanged', async () => {
      const [from, to] = [topics[2].id, topics[3].id];
      const session = await newSession([{ title: 'Point retiré', topicId: from }]);
      const before = await topicList();
      await editAgenda(session.id, [{ title: 'Point ajouté', topicId: to }]);
      const after = await topicList();
      expect(after.reduce((sum, topic) => sum + topic.threadCount, 0)).toBe(before.reduce((sum, topic) => sum + topic.threadCount, 0));
      expect(countOf(after, from)).toBe(countOf(before, from) - 1);
      expect(countOf(after, to)).toBe(countOf(before, to) + 1);
    });

    it('shows each of two changes made within the same second on the thread page', async () => {
      const session = await newSession([{ title: 'Premier titre' }]);
      const [item] = session.agenda;
      expect((await threadPage(item.threadId)).body.thread.title).toBe('Premier titre');
      await editAgenda(session.id, [{ id: item.id, title: 'Deuxième titre' }]);
      expect((await threadPage(item.threadId)).body.thread.title).toBe('Deuxième titre');
      await editAgenda(session.id, [{ id: item.id, title: 'Troisième titre' }]);
      expect((await threadPage(item.threadId)).body.thread.title).toBe('Troisième titre');
    });

    it('shows a practice renamed twice within the same second on its discussion thread', async () => {
      const created = await t
        .http()
        .post('/api/practices')
        .set('Authorization', alice.auth)
        .send({ title: 'Fiche', summary: 'Résumé', description: 'Description', stage: 'idea' })
        .expect(201);
      const { id, threadId } = created.body as { id: string; threadId: string };
      expect((await threadPage(threadId)).body.thread.title).toBe('Fiche');
      for (const title of ['Fiche renommée', 'Fiche renommée deux fois']) {
        await t.http().patch(`/api/practices/${id}`).set('Authorization', alice.auth).send({ title }).expect(200);
        expect((await threadPage(threadId)).body.thread.title).toBe(title);
      }
    });

    it('never serves what a rolled-back write changed, though the next write takes the same revision', async () => {
      const thread = (await newThread(alice, 'Version d’origine').expect(201)).body as { thread: { id: string }; post: { id: string } };
      const threadId = thread.thread.id;
      await threadPage(threadId);
      const revision = await Revisions.readThread(t.dataSource.manager, threadId);

      let answered: Response | undefined;
      let reading: Promise<unknown> | undefined;
      const rolledBack = database.write(async (manager) => {
        await manager.update(Post, { id: thread.post.id }, { body: 'Jamais validé' });
        await Revisions.bumpThreads(manager, [threadId]);
        // a reader arrives while the change is not committed: it must read around it (PostgreSQL) or wait (SQLite)
        reading = threadPage(threadId).then((response) => (answered = response));
        await until('the read answered or held', () => answered !== undefined || database.readsWaiting > 0);
        throw new Error('rolled back');
      });
      await expect(rolledBack).rejects.toThrow('rolled back');
      await reading;
      expect(answered!.body.posts[0].body).toBe('Version d’origine');
      expect(await Revisions.readThread(t.dataSource.manager, threadId)).toBe(revision);

      await t.http().patch(`/api/posts/${thread.post.id}`).set('Authorization', alice.auth).send({ body: 'Version validée' }).expect(200);
      expect(await Revisions.readThread(t.dataSource.manager, threadId)).toBe(revision! + 1);
      expect((await threadPage(threadId)).body.posts[0].body).toBe('Version validée');
    });

    it('keeps a rolled-back topic out of every reader’s list, then shows the next one committed', () =>
      expectRolledBackTopicUnseen(t, alice, moderator));
  });

  describe('one path per rule', () => {
    it('answers a thread creation retried with the same clientKey with the first thread, never a second', async () => {
      const before = countOf(await topicList(), topics[0].id);
      const clientKey = `fil-${Date.now()}`;
      const first = (await newThread(alice, 'Envoyé deux fois', { clientKey }).expect(201)).body;
      const again = (await newThread(alice, 'Envoyé deux fois', { clientKey }).expect(201)).body;
      const [racing1, racing2] = await Promise.all([
        newThread(alice, 'En course', { clientKey: `${clientKey}-course` }),
        newThread(alice, 'En course', { clientKey: `${clientKey}-course` }),
      ]);
      expect(again).toEqual(first);
      expect([racing1.status, racing2.status]).toEqual([201, 201]);
      expect(racing1.body.thread.id).toBe(racing2.body.thread.id);
      expect(countOf(await topicList(), topics[0].id)).toBe(before + 2);
      const reply = await t
        .http()
        .post(`/api/threads/${first.thread.id}/posts`)
        .set('Authorization', alice.auth)
        .send({ body: 'Réponse', clientKey: `${clientKey}-r` });
      expect(reply.status).toBe(201);
      // a key already spent on a reply cannot open a thread
      expect((await newThread(alice, 'Autre', { clientKey: `${clientKey}-r` })).status).toBe(409);
    });

    it('announces the first post of a thread once, as post.created', async () => {
      const heard: Array<{ body: string }> = [];
      const listener = (post: { body: string }) => heard.push(post);
      t.app.get(EventEmitter2).on('post.created', listener);
      await newThread(alice, 'Annoncé une fois').expect(201);
      t.app.get(EventEmitter2).off('post.created', listener);
      expect(heard.map((post) => post.body)).toEqual(['Annoncé une fois']);
    });

    it('hides a flagged post, closes its flags and writes the audit in one transaction: all or nothing', async () => {
      const { post } = (await newThread(alice, 'Message signalé').expect(201)).body as { post: { id: string } };
      await t.http().post(`/api/posts/${post.id}/flags`).set('Authorization', moderator.auth).send({ reason: 'Hors sujet' }).expect(201);
      const updates: unknown[] = [];
      const listener = (view: unknown) => updates.push(view);
      t.app.get(EventEmitter2).on('post.updated', listener);

      // the database itself refuses to close the flags, after the post was hidden in the same transaction
      await refuseFlagUpdates(true);
      const resolve = () => t.http().post(`/api/moderation/queue/${post.id}/resolve`).set('Authorization', moderator.auth).send({ action: 'hide' });
      try {
        expect((await resolve()).status).toBe(500);
      } finally {
        await refuseFlagUpdates(false);
      }
      const stored = await t.dataSource.getRepository(Post).findOneByOrFail({ id: post.id });
      expect(stored.hiddenAt).toBeNull();
      expect(await t.dataSource.getRepository(AuditEntry).findBy({ targetId: post.id })).toEqual([]);
      expect(updates).toEqual([]);

      expect((await resolve()).body).toEqual({ postId: post.id, resolution: 'hidden', closedFlags: 1 });
      expect((await t.dataSource.getRepository(Post).findOneByOrFail({ id: post.id })).hiddenAt).not.toBeNull();
      expect((await t.dataSource.getRepository(AuditEntry).findBy({ targetId: post.id })).map((entry) => entry.action).sort()).toEqual([
        'flags.hide',
        'post.hide',
      ]);
      t.app.get(EventEmitter2).off('post.updated', listener);
      expect(updates).toHaveLength(1);
    });

    async function refuseFlagUpdates(refuse: boolean): Promise<void> {
      const query = (sql: string) => t.dataSource.query(sql);
      if (database.isSqlite) {
        await query(
          refuse
            ? "CREATE TRIGGER refuse_flag_update BEFORE UPDATE ON post_flags BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
            : 'DROP TRIGGER refuse_flag_update',
        );
        return;
      }
      if (refuse) {
        await query(
          "CREATE FUNCTION refuse_flag_update() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$ LANGUAGE plpgsql",
        );
        await query('CREATE TRIGGER refuse_flag_update BEFORE UPDATE ON post_flags FOR EACH ROW EXECUTE FUNCTION refuse_flag_update()');
      } else {
        await query('DROP TRIGGER refuse_flag_update ON post_flags');
        await query('DROP FUNCTION refuse_flag_update()');
      }
    }
  });

  it('refuses a write started inside another write, at once, and keeps writing', async () => {
    const nested = database.write(() => database.write(() => Promise.resolve('jamais')));
    await expect(nested).rejects.toBeInstanceOf(NestedWriteError);
    await expect(database.write(() => Promise.resolve('ensuite'))).resolves.toBe('ensuite');
  });
});

/**
 * A reader arriving while a write is open reads around it (PostgreSQL) or waits for its end (SQLite): either way it
 * never sees the write's rows, which here are rolled back. Then a committed topic shows at once.
 */
async function expectRolledBackTopicUnseen(t: TestApp, reader: TestUser, moderator: TestUser): Promise<void> {
  const database = t.app.get(Database);
  const list = () => t.http().get('/api/topics').set('Authorization', reader.auth).expect(200);
  await list();
  let answered: Response | undefined;
  let reading: Promise<unknown> | undefined;
  let held = false;
  const rolledBack = database.write(async (manager) => {
    await manager.save(Topic, manager.create(Topic, { title: 'Jamais créé', description: '', slug: 'jamais-cree', position: 99 }));
    await Revisions.bump(manager, 'topics');
    reading = list().then((response) => (answered = response));
    await until('the read answered or held', () => answered !== undefined || (held = database.readsWaiting > 0));
    throw new Error('rolled back');
  });
  await expect(rolledBack).rejects.toThrow('rolled back');
  await reading;
  expect(held).toBe(database.isSqlite);
  expect((answered!.body as TopicRow[]).map((topic) => topic.title)).not.toContain('Jamais créé');

  await t.http().post('/api/topics').set('Authorization', moderator.auth).send({ title: 'Créé pour de bon', description: '' }).expect(201);
  expect(((await list()).body as TopicRow[]).map((topic) => topic.title)).toContain('Créé pour de bon');
}

describe.each(['better-sqlite3', 'sqlite3'])('reads on SQLite with %s never see a write that is not committed', (driver) => {
  let t: TestApp;
  let directory: string;
  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'essor-isolation-'));
    t = await createTestApp({ sqliteFile: join(directory, 'essor.sqlite'), env: { SQLITE_DRIVER: driver } });
  });
  afterAll(async () => {
    await t.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('holds a read that arrives during an open group until the group ends', async () => {
    expect(t.dataSource.options.type).toBe(driver === 'sqlite3' ? 'sqlite' : 'better-sqlite3');
    await expectRolledBackTopicUnseen(t, await t.createUser(), await t.createUser({ role: 'moderator' }));
  });
});

describe('the first post of a thread counts against the post rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { RATE_LIMIT_POSTS_PER_10S: '2' } });
  });
  afterAll(() => t.close());

  it('allows a thread and one reply in the window, then answers 429', async () => {
    const bruno = await t.createUser();
    const [topic] = (await t.http().get('/api/topics').set('Authorization', bruno.auth).expect(200)).body as TopicRow[];
    const open = (title: string, body: string) =>
      t.http().post(`/api/topics/${topic.id}/threads`).set('Authorization', bruno.auth).send({ title, body });
    const opened = await open('Fil', 'Un').expect(201);
    const threadId = (opened.body as { thread: { id: string } }).thread.id;
    await t.http().post(`/api/threads/${threadId}/posts`).set('Authorization', bruno.auth).send({ body: 'Deux' }).expect(201);
    await t.http().post(`/api/threads/${threadId}/posts`).set('Authorization', bruno.auth).send({ body: 'Trois' }).expect(429);
    await open('Autre', 'Quatre').expect(429);
  });
});
