import { EventEmitter2 } from '@nestjs/event-emitter';
import { createTestApp, TestApp, TestUser } from './support/test-app';

describe('topics (HTTP)', () => {
  let t: TestApp;
  let participant: TestUser;
  let moderator: TestUser;
  beforeAll(async () => {
    t = await createTestApp();
    participant = await t.createUser({ metropolis: 'metropole-de-lyon' });
    moderator = await t.createUser({ role: 'moderator' });
  });
  afterAll(() => t.close());

  it('lists the four seeded themes in order, for signed-in people only', async () => {
    await t.http().get('/api/topics').expect(401);
    const { body } = await t.http().get('/api/topics').set('Authorization', participant.auth).expect(200);
    expect(body.map((topic: { title: string }) => topic.title)).toEqual([
      'Innovation sociale et ESS : quelles différences ?',
      "Évaluation de l'utilité sociale",
      'Coopérations Région / Métropole / Communes',
      'Accompagnement des projets',
    ]);
    expect(body[1]).toMatchObject({ slug: 'evaluation-de-l-utilite-sociale', pinned: false, locked: false, archived: false });
    expect(typeof body[0].threadCount).toBe('number');
  });

  it('lets moderators create, rename, reorder, pin, lock and archive, and participants none of it', async () => {
    await t.http().post('/api/topics').set('Authorization', participant.auth).send({ title: 'Non' }).expect(403);
    const events: unknown[] = [];
    t.app.get(EventEmitter2).on('topic.updated', (topic) => events.push(topic));

    const created = await t
      .http()
      .post('/api/topics')
      .set('Authorization', moderator.auth)
      .send({ title: 'Achats responsables', description: 'Clauses sociales' })
      .expect(201);
    expect(created.body).toMatchObject({ slug: 'achats-responsables', position: 4, threadCount: 0 });
    const id = created.body.id;

    await t.http().patch(`/api/topics/${id}`).set('Authorization', participant.auth).send({ pinned: true }).expect(403);
    const renamed = await t
      .http()
      .patch(`/api/topics/${id}`)
      .set('Authorization', moderator.auth)
      .send({ title: 'Achats socialement responsables' })
      .expect(200);
    expect(renamed.body.slug).toBe('achats-socialement-responsables');

    await t.http().patch(`/api/topics/${id}`).set('Authorization', moderator.auth).send({ position: 0 }).expect(200);
    let list = await t.http().get('/api/topics').set('Authorization', participant.auth).expect(200);
    expect(list.body[0].id).toBe(id);
    expect(list.body.map((topic: { position: number }) => topic.position)).toEqual([0, 1, 2, 3, 4]);

    const last = list.body[4].id;
    await t.http().patch(`/api/topics/${last}`).set('Authorization', moderator.auth).send({ pinned: true }).expect(200);
    list = await t.http().get('/api/topics').set('Authorization', participant.auth).expect(200);
    expect(list.body[0].id).toBe(last);

    await t.http().patch(`/api/topics/${id}`).set('Authorization', moderator.auth).send({ archived: true }).expect(200);
    list = await t.http().get('/api/topics').set('Authorization', participant.auth).expect(200);
    expect(list.body.some((topic: { id: string }) => topic.id === id)).toBe(false);
    const withArchived = await t.http().get('/api/topics?archived=true').set('Authorization', participant.auth).expect(200);
    expect(withArchived.body.some((topic: { id: string }) => topic.id === id)).toBe(true);
    expect(events.length).toBeGreaterThanOrEqual(5);
  });

  it('keeps the list current through every change, and answers 304 to a client that holds it', async () => {
    const list = () => t.http().get('/api/topics').set('Authorization', participant.auth).expect(200);
    const first = await list();
    const unchanged = await t.http().get('/api/topics').set('Authorization', participant.auth).set('If-None-Match', first.headers.etag).expect(304);
    expect(unchanged.text ?? '').toBe('');

    const topic = first.body[2] as { id: string; threadCount: number };
    await t
      .http()
      .post(`/api/topics/${topic.id}/threads`)
      .set('Authorization', participant.auth)
      .send({ title: 'Compter', body: 'Un fil de plus' })
      .expect(201);
    const afterThread = await list();
    expect(afterThread.body.find((each: { id: string }) => each.id === topic.id).threadCount).toBe(topic.threadCount + 1);
    expect(afterThread.headers.etag).not.toBe(first.headers.etag);

    // two moves within the same second: the second must show too
    const ids = afterThread.body.filter((each: { pinned: boolean }) => !each.pinned).map((each: { id: string }) => each.id);
    await t.http().patch(`/api/topics/${ids[1]}`).set('Authorization', moderator.auth).send({ position: 0 }).expect(200);
    await t.http().patch(`/api/topics/${ids[2]}`).set('Authorization', moderator.auth).send({ position: 0 }).expect(200);
    const reordered = (await list()).body.filter((each: { pinned: boolean }) => !each.pinned).map((each: { id: string }) => each.id);
    expect(reordered.slice(0, 3)).toEqual([ids[2], ids[1], ids[0]]);
  });

  it('validates topic input and ids', async () => {
    const blank = await t.http().post('/api/topics').set('Authorization', moderator.auth).send({ title: '   ' }).expect(400);
    expect(blank.body.message).toEqual(expect.arrayContaining([expect.stringContaining('title')]));
    const long = await t
      .http()
      .post('/api/topics')
      .set('Authorization', moderator.auth)
      .send({ title: 'x'.repeat(201) })
      .expect(400);
    expect(long.body.message.join(' ')).toContain('title');
    await t.http().patch('/api/topics/not-a-uuid').set('Authorization', moderator.auth).send({ pinned: true }).expect(400);
    await t.http().patch('/api/topics/6f1c3f0e-9a59-4d4e-8f47-3c1d1c1d1c1d').set('Authorization', moderator.auth).send({ pinned: true }).expect(404);
    const wrongType = await t
      .http()
      .patch(`/api/topics/6f1c3f0e-9a59-4d4e-8f47-3c1d1c1d1c1d`)
      .set('Authorization', moderator.auth)
      .send({ pinned: 'oui' })
      .expect(400);
    expect(wrongType.body.message.join(' ')).toContain('pinned');
    await t.http().get('/api/topics?archived=peut-etre').set('Authorization', moderator.auth).expect(400);
  });

  it('takes new threads in a locked topic from moderators only', async () => {
    const topic = await t.http().post('/api/topics').set('Authorization', moderator.auth).send({ title: 'Verrouillé' }).expect(201);
    await t.http().patch(`/api/topics/${topic.body.id}`).set('Authorization', moderator.auth).send({ locked: true }).expect(200);
    await t
      .http()
      .post(`/api/topics/${topic.body.id}/threads`)
      .set('Authorization', participant.auth)
      .send({ title: 'Sujet', body: 'Texte' })
      .expect(403);
    await t
      .http()
      .post(`/api/topics/${topic.body.id}/threads`)
      .set('Authorization', moderator.auth)
      .send({ title: 'Sujet', body: 'Texte' })
      .expect(201);
  });
});
