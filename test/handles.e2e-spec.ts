import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../src/database/data-source-options';
import { MIGRATIONS } from '../src/database/migration-list';
import { FollowUp1764720000000 } from '../src/database/migrations/1764720000000-follow-up';
import { renderMarkdown, mentionedHandles } from '../src/markdown/markdown';
import { baseHandle } from '../src/users/handles';
import { createTestApp, TEST_PASSWORD, TestApp, testDatabaseUrl, TestUser } from './support/test-app';

describe('handles: made at registration, changed in settings, offered for @completion, rendered as links', () => {
  let t: TestApp;
  let alice: TestUser;

  beforeAll(async () => {
    t = await createTestApp({ env: { REGISTRATION_MODE: 'open' } });
    alice = await t.createUser({ displayName: 'Alice Martin' });
  });
  afterAll(() => t.close());

  async function register(displayName: string): Promise<{ id: string; handle: string; token: string }> {
    const { body } = await t
      .http()
      .post('/api/auth/register')
      .send({ email: `${randomUUID()}@example.org`, password: TEST_PASSWORD, displayName })
      .expect(201);
    return { id: body.user.id as string, handle: body.user.handle as string, token: body.accessToken as string };
  }

  it('makes a lowercase ASCII handle from the display name at registration, numbered when taken', async () => {
    expect(alice.user.handle).toBe('alice.martin');
    const [first, second, third] = [
      await register('Éloïse Dupont-Léger'),
      await register('Éloïse Dupont-Léger'),
      await register('Éloïse  Dupont-Léger'),
    ];
    expect([first.handle, second.handle, third.handle]).toEqual(['eloise.dupont-leger', 'eloise.dupont-leger2', 'eloise.dupont-leger3']);
    const me = await t.http().get('/api/auth/me').set('Authorization', `Bearer ${first.token}`).expect(200);
    expect(me.body.handle).toBe('eloise.dupont-leger');
  });

  it('registers people at the same time with the same name or e-mail: each a free handle, a taken e-mail a 409, never a 500', async () => {
    const email = `${randomUUID()}@example.org`;
    const attempts = await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        t
          .http()
          .post('/api/auth/register')
          .send({ email: index < 4 ? email : `${randomUUID()}@example.org`, password: TEST_PASSWORD, displayName: 'Zoé Simultanée' }),
      ),
    );
    const statuses = attempts.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(5);
    expect(statuses.filter((status) => status === 409)).toHaveLength(3);
    const handles = attempts.filter((answer) => answer.status === 201).map((answer) => answer.body.user.handle as string);
    expect(new Set(handles).size).toBe(5);
    expect(handles.every((handle) => /^zoe\.simultanee\d?$/.test(handle))).toBe(true);
  });

  it('keeps every made handle within the rules, whatever the name', () => {
    expect(baseHandle('Al')).toBe('membre.al');
    expect(baseHandle('李')).toBe('membre');
    expect(baseHandle('  Jean-Pierre  d’Artagnan de la Fontaine-Saint-Germain  ')).toMatch(/^[a-z0-9][a-z0-9._-]{1,28}[a-z0-9]$/);
    expect(baseHandle('Anne--Sophie __ Lœuvre')).toBe('anne-sophie.loeuvre');
  });

  it('changes the display name and the handle through PATCH /api/me: 409 for a handle taken, 400 for a malformed one', async () => {
    const bruno = await t.createUser({ displayName: 'Bruno' });
    const changed = await t
      .http()
      .patch('/api/me')
      .set('Authorization', bruno.auth)
      .send({ displayName: 'Bruno Lyon', handle: '@Bruno_Lyon' })
      .expect(200);
    expect(changed.body).toMatchObject({ id: bruno.user.id, displayName: 'Bruno Lyon', handle: 'bruno_lyon' });
    expect((await t.http().get('/api/auth/me').set('Authorization', bruno.auth).expect(200)).body.handle).toBe('bruno_lyon');

    const taken = await t.http().patch('/api/me').set('Authorization', bruno.auth).send({ handle: 'alice.martin' }).expect(409);
    expect(taken.body.message).toBe('Cet identifiant est déjà pris.');
    for (const handle of ['ab', 'a'.repeat(31), 'bruno lyon', '.bruno', 'bruno.', 'brünö', 42]) {
      const refused = await t.http().patch('/api/me').set('Authorization', bruno.auth).send({ handle }).expect(400);
      expect(JSON.stringify(refused.body.message)).toContain('handle');
    }
    await t.http().patch('/api/me').set('Authorization', bruno.auth).send({ displayName: '   ' }).expect(400);
    await t.http().patch('/api/me').set('Authorization', bruno.auth).send({ role: 'admin' }).expect(400);
    // the thread pages kept in cache show the new name at once
    const topics = (await t.http().get('/api/topics').set('Authorization', bruno.auth).expect(200)).body as Array<{ id: string }>;
    const { body: created } = await t
      .http()
      .post(`/api/topics/${topics[0].id}/threads`)
      .set('Authorization', bruno.auth)
      .send({ title: 'Nom', body: 'Signé' })
      .expect(201);
    await t.http().get(`/api/threads/${created.thread.id}`).set('Authorization', alice.auth).expect(200);
    await t.http().patch('/api/me').set('Authorization', bruno.auth).send({ displayName: 'Bruno de Lyon' }).expect(200);
    const page = await t.http().get(`/api/threads/${created.thread.id}`).set('Authorization', alice.auth).expect(200);
    expect([page.body.thread.author.displayName, page.body.posts[0].author.displayName]).toEqual(['Bruno de Lyon', 'Bruno de Lyon']);
    // keeping one's own handle is no conflict
    await t.http().patch('/api/me').set('Authorization', bruno.auth).send({ handle: 'bruno_lyon' }).expect(200);
  });

  it('offers at most 20 enabled people for @completion, handles beginning with q first', async () => {
    const carole = await t.createUser({ displayName: 'Carole Alice' });
    const admin = await t.createUser({ role: 'admin', displayName: 'Admin Directory' });
    const gone = await t.createUser({ displayName: 'Alice Partie' });
    await t.http().patch(`/api/users/${gone.user.id}`).set('Authorization', admin.auth).send({ disabled: true }).expect(200);

    const { body } = await t.http().get('/api/users/directory?q=@ali').set('Authorization', carole.auth).expect(200);
    const handles = (body as Array<{ handle: string }>).map((person) => person.handle);
    expect(handles[0]).toBe('alice.martin');
    expect(handles).toContain('carole.alice');
    expect(handles).not.toContain('alice.partie');
    expect(body[0]).toEqual({ id: alice.user.id, displayName: 'Alice Martin', handle: 'alice.martin', metropolis: null });

    for (let index = 0; index < 21; index += 1) await t.createUser({ displayName: `Zoé Nombreuse ${index}` });
    expect((await t.http().get('/api/users/directory?q=zoe').set('Authorization', carole.auth).expect(200)).body).toHaveLength(20);
    // a LIKE wildcard is a character like any other
    expect((await t.http().get('/api/users/directory?q=%25').set('Authorization', carole.auth).expect(200)).body).toEqual([]);
    await t.http().get('/api/users/directory').expect(401);
  });

  it('renders @handle of an existing person as a link to them, and nothing else as one', () => {
    const known = new Set(['alice.martin']);
    const html = renderMarkdown('Merci @Alice.Martin, @inconnu et alice@example.org', (handle) => known.has(handle));
    expect(html).toContain('<a class="mention" href="/#/people/alice.martin">@alice.martin</a>');
    expect(html).toContain('@inconnu');
    expect(html).not.toContain('/#/people/inconnu');
    expect(html).not.toContain('/#/people/example.org');
    expect(mentionedHandles('Bonjour @alice.martin. Et `@code.inline`, mail bob@example.org, @x')).toEqual(['alice.martin']);
  });
});

describe('the follow-up migration on an existing database', () => {
  it('gives the people already there a handle, deduplicated in order of registration, and starts them with everything read', async () => {
    const sqliteFile = join(tmpdir(), `essor-migration-${randomUUID()}.sqlite`);
    const database = await testDatabaseUrl(process.env.TEST_DATABASE_URL ? undefined : sqliteFile);
    const options = buildDataSourceOptions(
      database.url.startsWith('sqlite:')
        ? { type: 'sqlite', path: database.url.slice('sqlite:'.length), driver: 'better-sqlite3', synchronous: 'NORMAL' }
        : { type: 'postgres', url: database.url },
    );
    const before = new DataSource({ ...options, migrations: MIGRATIONS.slice(0, MIGRATIONS.indexOf(FollowUp1764720000000)), subscribers: [] });
    await before.initialize();
    try {
      await before.runMigrations();
      const p = (index: number) => before.driver.createParameter(`p${index}`, index);
      const insertUser = (id: string, displayName: string, createdAt: string) =>
        before.query(
          `INSERT INTO "users" ("id", "email", "passwordHash", "displayName", "role", "createdAt") VALUES (${p(0)}, ${p(1)}, '!', ${p(2)}, 'participant', ${p(3)})`,
          [id, `${id}@example.org`, displayName, createdAt],
        );
      const [first, second] = [randomUUID(), randomUUID()];
      await insertUser(first, 'Camille Martin', '2025-01-01 10:00:00.000');
      await insertUser(second, 'Camille Martin', '2025-02-01 10:00:00.000');
      const thread = randomUUID();
      await before.query(
        `INSERT INTO "threads" ("id", "title", "authorId", "lastSeq", "postCount", "lastActivityAt") VALUES (${p(0)}, 'Ancien fil', ${p(1)}, 3, 3, ${p(2)})`,
        [thread, first, '2025-03-01 10:00:00.000'],
      );
      await before.destroy();

      const after = new DataSource({ ...options, subscribers: [] });
      await after.initialize();
      try {
        await after.runMigrations();
        const users = await after.query<Array<{ id: string; handle: string }>>('SELECT "id", "handle" FROM "users"');
        expect(Object.fromEntries(users.map((user) => [user.id, user.handle]))).toEqual({ [first]: 'camille.martin', [second]: 'camille.martin2' });
        const reads = await after.query<Array<{ userId: string; lastReadSeq: number }>>('SELECT "userId", "lastReadSeq" FROM "thread_reads"');
        expect(reads.map((read) => [read.userId, Number(read.lastReadSeq)]).sort()).toEqual(
          [
            [first, 3],
            [second, 3],
          ].sort(),
        );
      } finally {
        await after.destroy();
      }
    } finally {
      if (before.isInitialized) await before.destroy();
      await database.drop();
      rmSync(sqliteFile, { force: true });
      for (const suffix of ['-wal', '-shm']) rmSync(sqliteFile + suffix, { force: true });
    }
  });
});
