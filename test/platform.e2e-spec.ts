import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { SeedService } from '../src/seed/seed.service';
import { createTestApp, TestApp, TestUser } from './support/test-app';

describe('platform: seed, directory, users, health, OpenAPI, errors', () => {
  let t: TestApp;
  let admin: TestUser;
  let moderator: TestUser;
  let participant: TestUser;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.createUser({ role: 'admin' });
    moderator = await t.createUser({ role: 'moderator' });
    participant = await t.createUser({ metropolis: 'brest-metropole' });
  });
  afterAll(() => t.close());

  async function counts(dataSource: DataSource) {
    const tables = ['metropolises', 'topics', 'threads', 'posts', 'practices', 'practice_levers', 'practice_topics', 'work_sessions', 'agenda_items'];
    const result: Record<string, number> = {};
    for (const table of tables) {
      const [row] = await dataSource.query(`SELECT COUNT(*) AS n FROM "${table}"`);
      result[table] = Number(row.n);
    }
    return result;
  }

  it('seeds the directory, themes, practice and two closed sessions, and seeding twice changes nothing', async () => {
    const before = await counts(t.dataSource);
    expect(before).toMatchObject({ metropolises: 22, topics: 4, practices: 1, practice_levers: 3, work_sessions: 2, agenda_items: 7, posts: 0 });
    await t.app.get(SeedService).run();
    await t.app.get(SeedService).run();
    expect(await counts(t.dataSource)).toEqual(before);
    const [session] = await t.dataSource.query(
      `SELECT status FROM "work_sessions" WHERE title = 'Groupe de travail Métropoles, ESS et innovation sociale'`,
    );
    expect(session.status).toBe('closed');
  });

  it('serves the metropolis directory to anyone, with slugs', async () => {
    const { body } = await t.http().get('/api/metropolises').expect(200);
    expect(body).toHaveLength(22);
    expect(body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ slug: 'metropole-de-lyon', name: 'Métropole de Lyon', region: 'Auvergne-Rhône-Alpes' }),
        expect.objectContaining({ slug: 'saint-etienne-metropole', name: 'Saint-Étienne Métropole' }),
        expect.objectContaining({ slug: 'metropole-nice-cote-d-azur' }),
      ]),
    );
  });

  it('lists users to moderators and lets only admins change roles', async () => {
    await t.http().get('/api/users').set('Authorization', participant.auth).expect(403);
    const list = await t.http().get('/api/users?limit=2').set('Authorization', moderator.auth).expect(200);
    expect(list.body).toHaveLength(2);
    expect(list.headers.link).toMatch(/rel="next"/);
    expect(list.body[0].passwordHash).toBeUndefined();
    await t.http().patch(`/api/users/${participant.user.id}`).set('Authorization', moderator.auth).send({ role: 'moderator' }).expect(403);
    const promoted = await t
      .http()
      .patch(`/api/users/${participant.user.id}`)
      .set('Authorization', admin.auth)
      .send({ role: 'moderator' })
      .expect(200);
    expect(promoted.body.role).toBe('moderator');
    const bad = await t.http().patch(`/api/users/${participant.user.id}`).set('Authorization', admin.auth).send({ role: 'king' }).expect(400);
    expect(bad.body.message.join(' ')).toContain('role');
    await t.http().patch(`/api/users/${admin.user.id}`).set('Authorization', admin.auth).send({ disabled: true }).expect(403);
    const audit = await t.dataSource.query(`SELECT action FROM "audit_entries" WHERE "targetId" = $1`.replace('$1', `'${participant.user.id}'`));
    expect(audit.map((row: { action: string }) => row.action)).toContain('user.role');
  });

  it('shows the audit log of moderator actions to moderators, newest first, by pages', async () => {
    const target = await t.createUser();
    await t.http().patch(`/api/users/${target.user.id}`).set('Authorization', admin.auth).send({ role: 'moderator' }).expect(200);
    await t.http().patch(`/api/users/${target.user.id}`).set('Authorization', admin.auth).send({ disabled: true }).expect(200);
    const someone = await t.createUser();
    await t.http().get('/api/audit').set('Authorization', someone.auth).expect(403);
    const first = await t.http().get('/api/audit?limit=1').set('Authorization', moderator.auth).expect(200);
    expect(first.body[0]).toMatchObject({ action: 'user.disable', targetType: 'user', targetId: target.user.id, actor: { id: admin.user.id } });
    const next = new URL(first.headers.link.match(/<([^>]+)>/)![1]);
    const second = await t
      .http()
      .get(next.pathname + next.search)
      .set('Authorization', moderator.auth)
      .expect(200);
    expect(second.body[0]).toMatchObject({ action: 'user.role', details: { from: 'participant', to: 'moderator' } });
  });

  it('answers health with the database state', async () => {
    const { body } = await t.http().get('/api/health').expect(200);
    expect(body.status).toBe('ok');
    expect(body.info.database.status).toBe('up');
  });

  it('documents every route of the contract in OpenAPI, with bearer auth', async () => {
    const { body } = await t.http().get('/api/docs-json').expect(200);
    expect(body.openapi).toMatch(/^3\./);
    expect(body.components.securitySchemes.bearer).toBeDefined();
    const expected: Array<[string, string]> = [
      ['post', '/api/auth/login'],
      ['post', '/api/auth/register'],
      ['get', '/api/auth/me'],
      ['post', '/api/invitations'],
      ['get', '/api/metropolises'],
      ['get', '/api/users'],
      ['patch', '/api/users/{id}'],
      ['get', '/api/topics'],
      ['post', '/api/topics'],
      ['patch', '/api/topics/{id}'],
      ['get', '/api/topics/{id}/threads'],
      ['post', '/api/topics/{id}/threads'],
      ['get', '/api/threads/{id}'],
      ['patch', '/api/threads/{id}'],
      ['post', '/api/threads/{id}/posts'],
      ['patch', '/api/posts/{id}'],
      ['delete', '/api/posts/{id}'],
      ['post', '/api/posts/{id}/hide'],
      ['post', '/api/posts/{id}/unhide'],
      ['get', '/api/health'],
    ];
    for (const [method, path] of expected) {
      expect(body.paths[path]?.[method]).toBeDefined();
    }
    const post = body.components.schemas.PostView;
    expect(Object.keys(post.properties)).toEqual(
      expect.arrayContaining(['id', 'threadId', 'seq', 'parentId', 'author', 'body', 'createdAt', 'editedAt', 'deleted', 'hidden']),
    );
    await t.http().get('/api/docs').expect(200);
  });

  it('answers an unknown API route with a JSON 404 and serves a French page at /', async () => {
    const missing = await t.http().get('/api/nothing-here').set('Authorization', participant.auth).expect(404);
    expect(missing.body).toMatchObject({ statusCode: 404 });
  });

  it('answers an unexpected error with 500 and a correlation id, without internals', async () => {
    const broken = await createTestApp({ seed: false });
    try {
      const user = await broken.createUser();
      await broken.dataSource.query('ALTER TABLE "topics" RENAME TO "topics_gone"');
      const response = await broken.http().get('/api/topics').set('Authorization', user.auth).expect(500);
      expect(response.body).toEqual({
        statusCode: 500,
        message: 'Erreur interne du serveur.',
        error: 'Internal Server Error',
        correlationId: expect.any(String),
      });
      expect(JSON.stringify(response.body)).not.toContain('topics');
    } finally {
      await broken.close();
    }
  });

  it('answers 503 on health when the database is gone', async () => {
    const other = await createTestApp({ seed: false });
    await other.dataSource.destroy();
    try {
      const response = await other.http().get('/api/health').expect(503);
      expect(response.body.status).toBe('error');
    } finally {
      await other.close();
    }
  });

  it('stops the start with one line naming a bad variable', () => {
    const result = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', join(__dirname, '..', 'src', 'main.ts')], {
      env: { ...process.env, PORT: 'not-a-port', TS_NODE_PROJECT: join(__dirname, '..', 'tsconfig.json') },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe('Invalid configuration: PORT: PORT must be an integer number');
  });
});
