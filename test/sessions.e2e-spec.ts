import { EventEmitter2 } from '@nestjs/event-emitter';
import { AuditEntry } from '../src/audit/audit-entry.entity';
import type { SessionView } from '../src/sessions/session.view';
import { SessionsService } from '../src/sessions/sessions.service';
import { Thread } from '../src/threads/thread.entity';
import { createTestApp, TestApp, TestUser } from './support/test-app';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

interface Topic {
  id: string;
  title: string;
}

describe('working-group sessions (HTTP)', () => {
  let t: TestApp;
  let admin: TestUser;
  let moderator: TestUser;
  let nantes: TestUser;
  let lyon: TestUser;
  let staff: TestUser;
  let topics: Topic[];
  const updates: SessionView[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.createUser({ role: 'admin', displayName: 'Adèle Admin' });
    moderator = await t.createUser({ role: 'moderator', displayName: 'Claire (Avise)' });
    nantes = await t.createUser({ metropolis: 'nantes-metropole', displayName: 'Nina Nantes' });
    lyon = await t.createUser({ metropolis: 'metropole-de-lyon', displayName: 'Léo Lyon' });
    staff = await t.createUser({ displayName: 'Rémi RTES' });
    topics = (await t.http().get('/api/topics').set('Authorization', nantes.auth).expect(200)).body;
    t.app.get(EventEmitter2).on('session.updated', (view: SessionView) => updates.push(view));
  });
  afterAll(() => t.close());

  const body = (overrides: Record<string, unknown> = {}) => ({
    title: 'Troisième groupe de travail',
    description: 'Point d’étape sur les **leviers**.',
    startsAt: '2030-06-18T08:00:00Z',
    endsAt: '2030-06-18T10:30:00Z',
    location: 'Avise, Paris',
    videoUrl: 'https://visio.example.org/essor',
    agenda: [
      { title: 'Accueil', durationMinutes: 15 },
      { title: 'Évaluation', topicId: topics[1].id, durationMinutes: 60 },
      { title: 'Suites à donner' },
    ],
    ...overrides,
  });

  async function newSession(overrides: Record<string, unknown> = {}, by: TestUser = moderator): Promise<SessionView> {
    const response = await t.http().post('/api/sessions').set('Authorization', by.auth).send(body(overrides)).expect(201);
    return response.body;
  }

  const act = (session: { id: string }, action: 'start' | 'advance' | 'close', by: TestUser = moderator) =>
    t.http().post(`/api/sessions/${session.id}/${action}`).set('Authorization', by.auth);

  async function auditActions(targetId: string): Promise<string[]> {
    const entries = await t.dataSource.getRepository(AuditEntry).find({ where: { targetId }, order: { createdAt: 'ASC' } });
    return entries.map((entry) => entry.action);
  }

  function messagesOf(response: { body: { message: string | string[] } }): string {
    return ([] as string[]).concat(response.body.message).join(' | ');
  }

  it('schedules a session whose agenda items each get a session thread', async () => {
    const session = await newSession();
    expect(session).toMatchObject({
      title: 'Troisième groupe de travail',
      description: 'Point d’étape sur les **leviers**.',
      startsAt: '2030-06-18T08:00:00.000Z',
      endsAt: '2030-06-18T10:30:00.000Z',
      location: 'Avise, Paris',
      videoUrl: 'https://visio.example.org/essor',
      status: 'scheduled',
      currentItemId: null,
      participantCount: 0,
      joined: false,
      startedAt: null,
      closedAt: null,
    });
    expect(session.agenda.map((item) => [item.position, item.title, item.topicId, item.durationMinutes])).toEqual([
      [0, 'Accueil', null, 15],
      [1, 'Évaluation', topics[1].id, 60],
      [2, 'Suites à donner', null, null],
    ]);
    expect(new Set(session.agenda.map((item) => item.threadId)).size).toBe(3);
    for (const item of session.agenda) {
      const thread = await t.http().get(`/api/threads/${item.threadId}`).set('Authorization', lyon.auth).expect(200);
      expect(thread.body.thread).toMatchObject({ id: item.threadId, title: item.title, context: 'session', topicId: item.topicId, postCount: 0 });
      expect(thread.body.posts).toEqual([]);
    }
    const read = await t.http().get(`/api/sessions/${session.id}`).set('Authorization', lyon.auth).expect(200);
    expect(read.body).toEqual(session);
    expect(await auditActions(session.id)).toEqual(['session.create']);
  });

  it('lets an admin schedule too, and refuses participants (403) and anonymous callers (401) on every moderator route', async () => {
    const byAdmin = await newSession({ title: 'Séance de l’admin' }, admin);
    expect(byAdmin.title).toBe('Séance de l’admin');
    const session = await newSession();
    const patch = { title: 'Autre titre' };
    const routes: Array<[string, string, object?]> = [
      ['post', '/api/sessions', body()],
      ['patch', `/api/sessions/${session.id}`, patch],
      ['post', `/api/sessions/${session.id}/start`],
      ['post', `/api/sessions/${session.id}/advance`],
      ['post', `/api/sessions/${session.id}/close`],
    ];
    for (const [method, path, payload] of routes) {
      const call = (auth?: string) => {
        const pending = method === 'post' ? t.http().post(path) : t.http().patch(path);
        if (auth) pending.set('Authorization', auth);
        return payload ? pending.send(payload) : pending;
      };
      expect([path, (await call(nantes.auth)).status]).toEqual([path, 403]);
      expect([path, (await call()).status]).toEqual([path, 401]);
    }
    // nothing happened to the session
    const read = await t.http().get(`/api/sessions/${session.id}`).set('Authorization', nantes.auth).expect(200);
    expect(read.body).toMatchObject({ title: 'Troisième groupe de travail', status: 'scheduled' });
    // the admin runs it
    await act(session, 'start', admin).expect(200);
    await t.http().patch(`/api/sessions/${session.id}`).set('Authorization', admin.auth).send(patch).expect(200);
    await act(session, 'close', admin).expect(200);
    // signed-in routes still need a token
    await t.http().get('/api/sessions').expect(401);
    await t.http().get(`/api/sessions/${session.id}`).expect(401);
    await t.http().post(`/api/sessions/${session.id}/join`).expect(401);
    await t.http().get(`/api/sessions/${session.id}/minutes`).expect(401);
  });

  it('validates every field of a new session and names it', async () => {
    const bad = await t
      .http()
      .post('/api/sessions')
      .set('Authorization', moderator.auth)
      .send({
        title: '   ',
        startsAt: 'demain matin',
        endsAt: '2030-02-30T10:00:00Z',
        videoUrl: 'ftp://visio.example.org',
        location: 'x'.repeat(301),
        agenda: [
          { title: '', durationMinutes: 0 },
          { title: 'Deux', durationMinutes: 601, topicId: 'pas-un-uuid' },
          { title: 'Trois', extra: true },
        ],
        extra: 1,
      })
      .expect(400);
    const text = messagesOf(bad);
    for (const field of [
      'title ne doit pas être vide.',
      'startsAt doit être une date et une heure ISO 8601',
      'endsAt doit être une date qui existe.',
      'videoUrl doit être une adresse web en http ou https.',
      'location doit compter au plus',
      'agenda.0.title',
      'agenda.0.durationMinutes doit être supérieur ou égal à 1.',
      'agenda.1.durationMinutes doit être inférieur ou égal à 600.',
      'agenda.1.topicId doit être un UUID.',
      'La propriété agenda.2.extra n’est pas autorisée.',
      'La propriété extra n’est pas autorisée.',
    ]) {
      expect(text).toContain(field);
    }

    const noZone = await t
      .http()
      .post('/api/sessions')
      .set('Authorization', moderator.auth)
      .send(body({ startsAt: '2030-06-18T10:00:00' }))
      .expect(400);
    expect(messagesOf(noZone)).toContain('startsAt doit être une date et une heure ISO 8601 avec fuseau horaire');
    const backwards = await t
      .http()
      .post('/api/sessions')
      .set('Authorization', moderator.auth)
      .send(body({ endsAt: '2030-06-18T07:00:00Z' }))
      .expect(400);
    expect(messagesOf(backwards)).toContain('endsAt doit venir après startsAt.');
    const tooLong = await t
      .http()
      .post('/api/sessions')
      .set('Authorization', moderator.auth)
      .send(body({ agenda: Array.from({ length: 51 }, (_, index) => ({ title: `Point ${index}` })) }))
      .expect(400);
    expect(messagesOf(tooLong)).toContain('agenda doit contenir au plus 50 éléments.');
    const missing = await t.http().post('/api/sessions').set('Authorization', moderator.auth).send({ title: 'Sans date' }).expect(400);
    expect(messagesOf(missing)).toContain('startsAt');
    expect(messagesOf(missing)).toContain('agenda doit être une liste.');
    const unknownTopic = await t
      .http()
      .post('/api/sessions')
      .set('Authorization', moderator.auth)
      .send(body({ agenda: [{ title: 'Un' }, { title: 'Deux', topicId: UNKNOWN_ID }] }))
      .expect(404);
    expect(unknownTopic.body.message).toContain('agenda.1.topicId');
    // a refused session left no thread behind
    const orphans = await t.dataSource.getRepository(Thread).countBy({ title: 'Deux', context: 'session' });
    expect(orphans).toBe(0);
  });

  it('answers 400 for a malformed id and 404 for an unknown one', async () => {
    const calls = [
      (id: string) => t.http().get(`/api/sessions/${id}`).set('Authorization', nantes.auth),
      (id: string) => t.http().patch(`/api/sessions/${id}`).set('Authorization', moderator.auth).send({ title: 'X' }),
      (id: string) => t.http().post(`/api/sessions/${id}/join`).set('Authorization', nantes.auth),
      (id: string) => t.http().delete(`/api/sessions/${id}/join`).set('Authorization', nantes.auth),
      (id: string) => t.http().post(`/api/sessions/${id}/start`).set('Authorization', moderator.auth),
      (id: string) => t.http().post(`/api/sessions/${id}/advance`).set('Authorization', moderator.auth),
      (id: string) => t.http().post(`/api/sessions/${id}/close`).set('Authorization', moderator.auth),
      (id: string) => t.http().get(`/api/sessions/${id}/minutes`).set('Authorization', nantes.auth),
      (id: string) => t.http().get(`/api/sessions/${id}/attendance`).set('Authorization', nantes.auth),
    ];
    for (const call of calls) {
      expect((await call('pas-un-id')).status).toBe(400);
      expect((await call(UNKNOWN_ID)).status).toBe(404);
    }
    await expect(t.app.get(SessionsService).getView(UNKNOWN_ID)).rejects.toThrow('Séance introuvable.');
  });

  it('runs the state machine scheduled → live → closed and refuses every impossible transition with 409', async () => {
    const session = await newSession();
    const [first, second, third] = session.agenda.map((item) => item.id);
    await act(session, 'advance').expect(409);
    await act(session, 'close').expect(409);

    updates.length = 0;
    const started = await act(session, 'start').expect(200);
    expect(started.body).toMatchObject({ status: 'live', currentItemId: first, joined: false });
    expect(Date.parse(started.body.startedAt)).not.toBeNaN();
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ id: session.id, status: 'live', currentItemId: first });
    expect(updates[0]).not.toHaveProperty('joined');

    await act(session, 'start').expect(409);
    expect((await act(session, 'advance').expect(200)).body.currentItemId).toBe(second);
    expect((await act(session, 'advance').expect(200)).body.currentItemId).toBe(third);
    const last = await act(session, 'advance').expect(409);
    expect(last.body.message).toBe('Le point en cours est le dernier de l’ordre du jour.');
    expect(updates.map((view) => view.currentItemId)).toEqual([first, second, third]);

    const closed = await act(session, 'close').expect(200);
    expect(closed.body).toMatchObject({ status: 'closed', currentItemId: null });
    expect(Date.parse(closed.body.closedAt)).not.toBeNaN();
    expect(updates[updates.length - 1]).toMatchObject({ id: session.id, status: 'closed' });
    for (const action of ['start', 'advance', 'close'] as const) await act(session, action).expect(409);
    expect(updates).toHaveLength(4);
    expect(await auditActions(session.id)).toEqual(['session.create', 'session.start', 'session.advance', 'session.advance', 'session.close']);
  });

  it('starts a session without agenda with no current item, and cannot advance it', async () => {
    const session = await newSession({ agenda: [] });
    expect(session.agenda).toEqual([]);
    expect((await act(session, 'start').expect(200)).body).toMatchObject({ status: 'live', currentItemId: null });
    await act(session, 'advance').expect(409);
    await act(session, 'close').expect(200);
  });

  it('joins and leaves idempotently, counts participants, and freezes attendance once closed', async () => {
    const session = await newSession();
    const joined = await t.http().post(`/api/sessions/${session.id}/join`).set('Authorization', nantes.auth).expect(200);
    expect(joined.body).toMatchObject({ participantCount: 1, joined: true });
    const again = await t.http().post(`/api/sessions/${session.id}/join`).set('Authorization', nantes.auth).expect(200);
    expect(again.body).toMatchObject({ participantCount: 1, joined: true });
    await t.http().post(`/api/sessions/${session.id}/join`).set('Authorization', lyon.auth).expect(200);
    const seenByStaff = await t.http().get(`/api/sessions/${session.id}`).set('Authorization', staff.auth).expect(200);
    expect(seenByStaff.body).toMatchObject({ participantCount: 2, joined: false });
    const seenByNantes = await t.http().get(`/api/sessions/${session.id}`).set('Authorization', nantes.auth).expect(200);
    expect(seenByNantes.body.joined).toBe(true);

    const left = await t.http().delete(`/api/sessions/${session.id}/join`).set('Authorization', lyon.auth).expect(200);
    expect(left.body).toMatchObject({ participantCount: 1, joined: false });
    await t.http().delete(`/api/sessions/${session.id}/join`).set('Authorization', lyon.auth).expect(200);
    expect((await t.app.get(SessionsService).getView(session.id)).participantCount).toBe(1);

    // joining a live session is fine
    await act(session, 'start').expect(200);
    expect((await t.http().post(`/api/sessions/${session.id}/join`).set('Authorization', staff.auth).expect(200)).body.participantCount).toBe(2);
    await act(session, 'close').expect(200);
    const late = await t.http().post(`/api/sessions/${session.id}/join`).set('Authorization', lyon.auth).expect(409);
    expect(late.body.message).toBe('Cette séance est close : sa liste de présence est définitive, plus personne ne peut la rejoindre.');
    await t.http().delete(`/api/sessions/${session.id}/join`).set('Authorization', nantes.auth).expect(409);
    expect((await t.app.get(SessionsService).getView(session.id, nantes.user)).participantCount).toBe(2);
  });

  it('counts who joined by metropolis, network staff apart, and follows joins and leaves', async () => {
    const session = await newSession();
    const attendance = (by: TestUser = lyon) => t.http().get(`/api/sessions/${session.id}/attendance`).set('Authorization', by.auth).expect(200);
    expect((await attendance()).body).toEqual([]);
    await t.http().get(`/api/sessions/${session.id}/attendance`).expect(401);

    const secondNantes = await t.createUser({ metropolis: 'nantes-metropole', displayName: 'Noé Nantes' });
    const avise = await t.createUser({ displayName: 'Ana Avise' });
    for (const person of [staff, lyon, nantes, secondNantes, avise]) {
      await t.http().post(`/api/sessions/${session.id}/join`).set('Authorization', person.auth).expect(200);
    }
    const nantesMetropolis = await t.metropolis('nantes-metropole');
    const lyonMetropolis = await t.metropolis('metropole-de-lyon');
    // metropolises most represented first, then the networks' staff, even when they are more numerous
    expect((await attendance(nantes)).body).toEqual([
      { metropolis: { id: nantesMetropolis.id, slug: 'nantes-metropole', name: 'Nantes Métropole' }, participants: 2 },
      { metropolis: { id: lyonMetropolis.id, slug: 'metropole-de-lyon', name: 'Métropole de Lyon' }, participants: 1 },
      { metropolis: null, participants: 2 },
    ]);

    await t.http().delete(`/api/sessions/${session.id}/join`).set('Authorization', lyon.auth).expect(200);
    await act(session, 'start').expect(200);
    await act(session, 'close').expect(200);
    const final = (await attendance()).body as { metropolis: { slug: string } | null; participants: number }[];
    expect(final.map((row) => [row.metropolis?.slug ?? null, row.participants])).toEqual([
      ['nantes-metropole', 2],
      [null, 2],
    ]);
    const view = await t.http().get(`/api/sessions/${session.id}`).set('Authorization', lyon.auth).expect(200);
    expect(final.reduce((sum, row) => sum + row.participants, 0)).toBe(view.body.participantCount);
  });

  it('edits a session and replaces its agenda, keeping the threads of the items given back', async () => {
    const session = await newSession();
    const [accueil, evaluation, suites] = session.agenda;
    updates.length = 0;
    const edited = await t
      .http()
      .patch(`/api/sessions/${session.id}`)
      .set('Authorization', moderator.auth)
      .send({
        title: 'Troisième groupe (modifié)',
        location: null,
        endsAt: null,
        agenda: [
          { id: evaluation.id, title: 'Évaluation : méthodes', durationMinutes: 45 },
          { title: 'Nouveau point', topicId: topics[0].id },
          { id: accueil.id, title: 'Accueil', topicId: topics[2].id },
        ],
      })
      .expect(200);
    expect(edited.body).toMatchObject({
      title: 'Troisième groupe (modifié)',
      location: null,
      endsAt: null,
      videoUrl: 'https://visio.example.org/essor',
    });
    const agenda = edited.body.agenda as SessionView['agenda'];
    expect(
      agenda.map((item) => [item.position, [evaluation.id, accueil.id].includes(item.id), item.title, item.topicId, item.durationMinutes]),
    ).toEqual([
      [0, true, 'Évaluation : méthodes', topics[1].id, 45],
      [1, false, 'Nouveau point', topics[0].id, null],
      [2, true, 'Accueil', topics[2].id, 15],
    ]);
    expect(agenda[0].threadId).toBe(evaluation.threadId);
    expect(agenda[2].threadId).toBe(accueil.threadId);
    const renamed = await t.http().get(`/api/threads/${evaluation.threadId}`).set('Authorization', nantes.auth).expect(200);
    expect(renamed.body.thread).toMatchObject({ title: 'Évaluation : méthodes', topicId: topics[1].id, context: 'session' });
    const relinked = await t.http().get(`/api/threads/${accueil.threadId}`).set('Authorization', nantes.auth).expect(200);
    expect(relinked.body.thread.topicId).toBe(topics[2].id);
    const added = await t.http().get(`/api/threads/${agenda[1].threadId}`).set('Authorization', nantes.auth).expect(200);
    expect(added.body.thread).toMatchObject({ title: 'Nouveau point', context: 'session', topicId: topics[0].id });
    // the removed item had no post: its empty thread went with it
    await t.http().get(`/api/threads/${suites.threadId}`).set('Authorization', nantes.auth).expect(404);
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ id: session.id, title: 'Troisième groupe (modifié)' });
    expect(updates[0].agenda).toHaveLength(3);

    // an item whose discussion has posts cannot be dropped
    await t.http().post(`/api/threads/${agenda[1].threadId}/posts`).set('Authorization', nantes.auth).send({ body: 'Je garde ce point' }).expect(201);
    const keep = agenda.map((item) => ({ id: item.id, title: item.title }));
    const dropDiscussed = await t
      .http()
      .patch(`/api/sessions/${session.id}`)
      .set('Authorization', moderator.auth)
      .send({ agenda: [keep[0], keep[2]] })
      .expect(409);
    expect(dropDiscussed.body.message).toContain('Nouveau point');
    // an id from another session, or twice, is a 400 naming the item
    const other = await newSession();
    const foreign = await t
      .http()
      .patch(`/api/sessions/${session.id}`)
      .set('Authorization', moderator.auth)
      .send({ agenda: [...keep, { id: other.agenda[0].id, title: 'Intrus' }, keep[0]] })
      .expect(400);
    expect(foreign.body.message).toEqual(['agenda.3.id doit désigner un point de cette séance.', 'agenda.4.id désigne un point déjà listé.']);
    const unknownTopic = await t
      .http()
      .patch(`/api/sessions/${session.id}`)
      .set('Authorization', moderator.auth)
      .send({ agenda: [...keep, { title: 'Thème inconnu', topicId: UNKNOWN_ID }] })
      .expect(404);
    expect(unknownTopic.body.message).toContain('agenda.3.topicId');
    const backwards = await t
      .http()
      .patch(`/api/sessions/${session.id}`)
      .set('Authorization', moderator.auth)
      .send({ endsAt: '2030-06-18T07:00:00Z' })
      .expect(400);
    expect(backwards.body.message).toEqual(['endsAt doit venir après startsAt.']);
    const badField = await t
      .http()
      .patch(`/api/sessions/${session.id}`)
      .set('Authorization', moderator.auth)
      .send({ status: 'live', videoUrl: 'javascript:alert(1)' })
      .expect(400);
    expect(messagesOf(badField)).toContain('La propriété status n’est pas autorisée.');
    expect(messagesOf(badField)).toContain('videoUrl doit être une adresse web en http ou https.');
    const unchanged = await t.http().get(`/api/sessions/${session.id}`).set('Authorization', nantes.auth).expect(200);
    expect(unchanged.body.agenda.map((item: { id: string }) => item.id)).toEqual(agenda.map((item) => item.id));

    // live: the agenda may still change, but not lose its current item
    await act(session, 'start').expect(200);
    const current = await t
      .http()
      .patch(`/api/sessions/${session.id}`)
      .set('Authorization', moderator.auth)
      .send({ agenda: keep.slice(1) })
      .expect(409);
    expect(current.body.message).toBe('« Évaluation : méthodes » est le point en cours de cette séance : passez au suivant avant de le retirer.');
    const grown = await t
      .http()
      .patch(`/api/sessions/${session.id}`)
      .set('Authorization', moderator.auth)
      .send({ agenda: [...keep, { title: 'Point ajouté en séance' }] })
      .expect(200);
    expect(grown.body.agenda).toHaveLength(4);
    expect(grown.body.currentItemId).toBe(evaluation.id);

    // closed: the agenda is final, the rest may still be corrected
    await act(session, 'close').expect(200);
    const closedAgenda = await t.http().patch(`/api/sessions/${session.id}`).set('Authorization', moderator.auth).send({ agenda: keep }).expect(409);
    expect(closedAgenda.body.message).toBe('L’ordre du jour d’une séance close ne change plus.');
    const corrected = await t
      .http()
      .patch(`/api/sessions/${session.id}`)
      .set('Authorization', moderator.auth)
      .send({ description: 'Compte rendu validé' })
      .expect(200);
    expect(corrected.body).toMatchObject({ description: 'Compte rendu validé', status: 'closed' });
    expect(corrected.body.agenda).toHaveLength(4);
  });

  it('lists live sessions first, then the coming ones soonest first, then past ones latest first, by pages', async () => {
    const later = await newSession({ title: 'Plus tard', startsAt: '2031-01-10T09:00:00Z', endsAt: null });
    const sooner = await newSession({ title: 'Bientôt', startsAt: '2029-01-10T09:00:00Z', endsAt: null });
    const live = await newSession({ title: 'En direct', startsAt: '2029-05-10T09:00:00Z', endsAt: null });
    await act(live, 'start').expect(200);

    const all = await t.http().get('/api/sessions?limit=200').set('Authorization', nantes.auth).expect(200);
    const views = all.body as SessionView[];
    const rank = { live: 0, scheduled: 1, closed: 2 } as const;
    for (let index = 1; index < views.length; index++) {
      const [a, b] = [views[index - 1], views[index]];
      expect(rank[a.status]).toBeLessThanOrEqual(rank[b.status]);
      if (a.status === b.status && a.status === 'scheduled') expect(a.startsAt <= b.startsAt).toBe(true);
      if (a.status === b.status && a.status === 'closed') expect(a.startsAt >= b.startsAt).toBe(true);
    }
    const ids = views.map((view) => view.id);
    expect(ids.indexOf(live.id)).toBeLessThan(ids.indexOf(sooner.id));
    expect(ids.indexOf(sooner.id)).toBeLessThan(ids.indexOf(later.id));
    const seeded = views.filter((view) => view.title.includes('groupe de travail Métropoles') || view.title.startsWith('Groupe de travail'));
    expect(seeded.map((view) => view.startsAt)).toEqual(['2019-03-05T08:00:00.000Z', '2018-06-19T08:00:00.000Z']);
    expect(views.find((view) => view.id === later.id)?.joined).toBe(false);

    // the same list, two at a time, by following the Link header
    const paged: string[] = [];
    let next: string | undefined = '/api/sessions?limit=2';
    while (next) {
      const page = await t.http().get(next).set('Authorization', nantes.auth).expect(200);
      expect(page.body.length).toBeLessThanOrEqual(2);
      paged.push(...page.body.map((view: SessionView) => view.id));
      const match = /<([^>]+)>; rel="next"/.exec(page.headers.link ?? '');
      next = match ? `${new URL(match[1]).pathname}${new URL(match[1]).search}` : undefined;
    }
    expect(paged).toEqual(ids);

    const closed = await t.http().get('/api/sessions?status=closed').set('Authorization', nantes.auth).expect(200);
    expect(closed.body.length).toBeGreaterThanOrEqual(2);
    expect(closed.body.every((view: SessionView) => view.status === 'closed')).toBe(true);
    const liveOnly = await t.http().get('/api/sessions?status=live').set('Authorization', nantes.auth).expect(200);
    expect(liveOnly.body.map((view: SessionView) => view.id)).toContain(live.id);
    expect(liveOnly.body.every((view: SessionView) => view.status === 'live')).toBe(true);
    const badStatus = await t.http().get('/api/sessions?status=ouverte').set('Authorization', nantes.auth).expect(400);
    expect(messagesOf(badStatus)).toContain('status doit être l’une des valeurs suivantes');
    await t.http().get('/api/sessions?cursor=nimporte').set('Authorization', nantes.auth).expect(400);
    await t.http().get('/api/sessions?limit=0').set('Authorization', nantes.auth).expect(400);
  });

  it('renders the minutes with participants by metropolis, the reply tree and the poll results', async () => {
    const session = await newSession({ title: 'Séance du compte rendu', startsAt: '2025-06-17T08:00:00Z', endsAt: '2025-06-17T10:00:00Z' });
    const [accueil, evaluation] = session.agenda;
    for (const user of [nantes, lyon, staff]) await t.http().post(`/api/sessions/${session.id}/join`).set('Authorization', user.auth).expect(200);
    await act(session, 'start').expect(200);
    const post = (user: TestUser, threadId: string, text: string, parentId?: string) =>
      t.http().post(`/api/threads/${threadId}/posts`).set('Authorization', user.auth).send({ body: text, parentId }).expect(201);
    const root = await post(nantes, accueil.threadId, 'Bonjour à tous.\n\n- premier point\n- second point');
    const reply = await post(lyon, accueil.threadId, 'Merci, *bienvenue* !', root.body.id);
    await post(staff, accueil.threadId, 'Je réponds à Léo', reply.body.id);
    const deleted = await post(nantes, accueil.threadId, 'Texte retiré par son auteur');
    await t.http().delete(`/api/posts/${deleted.body.id}`).set('Authorization', nantes.auth).expect(200);
    const hidden = await post(lyon, accueil.threadId, 'Propos déplacé');
    await t.http().post(`/api/posts/${hidden.body.id}/hide`).set('Authorization', moderator.auth).expect(200);
    const poll = await t
      .http()
      .post(`/api/sessions/${session.id}/polls`)
      .set('Authorization', moderator.auth)
      .send({ question: 'On continue ?', options: ['Oui', 'Non'] })
      .expect(201);
    await t.http().post(`/api/polls/${poll.body.id}/vote`).set('Authorization', nantes.auth).send({ optionIndex: 0 }).expect(200);
    await t.http().post(`/api/polls/${poll.body.id}/vote`).set('Authorization', lyon.auth).send({ optionIndex: 0 }).expect(200);
    await t.http().post(`/api/polls/${poll.body.id}/vote`).set('Authorization', staff.auth).send({ optionIndex: 1 }).expect(200);
    await act(session, 'advance').expect(200);
    await post(lyon, evaluation.threadId, 'Une seule contribution');
    await act(session, 'close').expect(200);

    const response = await t.http().get(`/api/sessions/${session.id}/minutes`).set('Authorization', lyon.auth).expect(200);
    expect(response.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('inline; filename="compte-rendu-seance-du-compte-rendu-2025-06-17.md"');
    const markdown = response.text;
    const lines = markdown.split('\n');
    expect(lines[0]).toBe('# Compte rendu — Séance du compte rendu');
    expect(markdown).toContain("- **Date** : mardi 17 juin 2025, 10 h 00, jusqu'à 12 h 00 (heure de Paris)");
    expect(markdown).toContain('- **Lieu** : Avise, Paris');
    expect(markdown).toContain('- **Visioconférence** : <https://visio.example.org/essor>');
    expect(markdown).toContain('- **Statut** : séance terminée');
    expect(markdown).toContain('> Point d’étape sur les **leviers**.');
    expect(markdown).toContain('## Participants (3)');
    const participants = lines.slice(lines.indexOf('## Participants (3)') + 2, lines.indexOf('## Participants (3)') + 5);
    expect(participants).toEqual([
      '- **Métropole de Lyon** (1) : Léo Lyon',
      '- **Nantes Métropole** (1) : Nina Nantes',
      '- **Réseaux et autres** (1) : Rémi RTES',
    ]);
    expect(markdown).toContain('1. Accueil — 15 min');
    expect(markdown).toContain(`2. Évaluation — 60 min · thème « ${topics[1].title} »`);

    const at = (prefix: string) => {
      const index = lines.findIndex((line) => line.startsWith(prefix));
      expect(index).toBeGreaterThanOrEqual(0);
      return index;
    };
    const rootLine = at('- **Nina Nantes** — Nantes Métropole, ');
    expect(lines[rootLine]).toMatch(/^- \*\*Nina Nantes\*\* — Nantes Métropole, (\S+ \d+(er)? \S+ \d{4}, )?\d\d h \d\d$/);
    // the multi-line body stays inside its list item
    expect(lines.slice(rootLine + 2, rootLine + 6)).toEqual(['  Bonjour à tous.', '', '  - premier point', '  - second point']);
    // a comment ends the body's own list, so that the reply is not read as a third point of it
    expect(lines.slice(rootLine + 6, rootLine + 9)).toEqual(['', '  <!-- -->', '']);
    const replyLine = at('  - **Léo Lyon** — Métropole de Lyon, ');
    expect(replyLine).toBe(rootLine + 9);
    expect(replyLine).toBeGreaterThan(rootLine);
    expect(lines[replyLine + 2]).toBe('    Merci, *bienvenue* !');
    const nested = at('    - **Rémi RTES**, ');
    expect(nested).toBeGreaterThan(replyLine);
    expect(lines[nested + 2]).toBe('      Je réponds à Léo');
    expect(markdown).toContain('  *[message supprimé]*');
    expect(markdown).toContain('  *[message masqué par la modération]*');
    expect(markdown).not.toContain('Texte retiré par son auteur');
    expect(markdown).not.toContain('Propos déplacé');

    // the poll sits under the item that was current, with its results
    const pollHeading = at('#### On continue ?');
    expect(pollHeading).toBeGreaterThan(nested);
    expect(pollHeading).toBeLessThan(at('## 2. Évaluation'));
    expect(markdown).toContain('_sondage clos · 3 votes_');
    expect(markdown).toContain('- **Oui** : 2 voix (67 %) — **option retenue**');
    expect(markdown).toContain('- Non : 1 voix (33 %)');
    expect(lines.slice(at('## 2. Évaluation')).join('\n')).toContain('Une seule contribution');
    expect(markdown).toContain('## 3. Suites à donner\n\n### Discussion\n\n_Aucun message._');
  });

  it('documents every session and poll route in the OpenAPI document', async () => {
    const document = await t.http().get('/api/docs-json').expect(200);
    const paths = document.body.paths as Record<string, Record<string, unknown>>;
    const expected: Array<[string, string[]]> = [
      ['/api/sessions', ['get', 'post']],
      ['/api/sessions/{id}', ['get', 'patch']],
      ['/api/sessions/{id}/join', ['post', 'delete']],
      ['/api/sessions/{id}/start', ['post']],
      ['/api/sessions/{id}/advance', ['post']],
      ['/api/sessions/{id}/close', ['post']],
      ['/api/sessions/{id}/minutes', ['get']],
      ['/api/sessions/{id}/attendance', ['get']],
      ['/api/sessions/{id}/polls', ['get', 'post']],
      ['/api/polls/{id}', ['get']],
      ['/api/polls/{id}/vote', ['post']],
      ['/api/polls/{id}/close', ['post']],
    ];
    for (const [path, methods] of expected) expect([path, Object.keys(paths[path] ?? {}).sort()]).toEqual([path, [...methods].sort()]);
    const schemas = document.body.components.schemas as Record<string, { properties: Record<string, unknown> }>;
    expect(Object.keys(schemas.CreateSessionDto.properties)).toEqual(
      expect.arrayContaining(['title', 'startsAt', 'endsAt', 'location', 'videoUrl', 'agenda']),
    );
    expect(Object.keys(schemas.SessionView.properties)).toEqual(
      expect.arrayContaining([
        'id',
        'title',
        'description',
        'startsAt',
        'endsAt',
        'location',
        'videoUrl',
        'status',
        'agenda',
        'currentItemId',
        'participantCount',
      ]),
    );
    expect(schemas.SessionAttendanceView.properties).toMatchObject({ metropolis: { nullable: true }, participants: { type: 'number' } });
    expect(Object.keys(schemas.PollView.properties)).toEqual(expect.arrayContaining(['id', 'sessionId', 'question', 'options', 'status', 'myVote']));
  });

  it('renders the minutes of a seeded session, which has no participant and no message', async () => {
    const closed = await t.http().get('/api/sessions?status=closed&limit=200').set('Authorization', nantes.auth).expect(200);
    const seeded = (closed.body as SessionView[]).find((view) => view.startsAt === '2018-06-19T08:00:00.000Z')!;
    const response = await t.http().get(`/api/sessions/${seeded.id}/minutes`).set('Authorization', nantes.auth).expect(200);
    expect(response.headers['content-disposition']).toBe(
      'inline; filename="compte-rendu-groupe-de-travail-metropoles-ess-et-innovation-sociale-2018-06-19.md"',
    );
    const markdown = response.text;
    expect(markdown).toContain('# Compte rendu — Groupe de travail Métropoles, ESS et innovation sociale');
    expect(markdown).toContain('- **Date** : mardi 19 juin 2018, 10 h 00 (heure de Paris)');
    expect(markdown).toContain('- **Lieu** : non précisé');
    expect(markdown).toContain('9 métropoles');
    expect(markdown).toContain("_Aucun participant n'a été enregistré sur la plateforme pour cette séance._");
    expect(markdown).toContain("## 2. Évaluation de l'utilité sociale");
    expect(markdown.match(/_Aucun message\._/g)).toHaveLength(4);
    expect(markdown).not.toContain('Sondages');
    // nobody joined the seeded sessions on Essor: their description gives the numbers, and no participant is invented
    const attendance = await t.http().get(`/api/sessions/${seeded.id}/attendance`).set('Authorization', nantes.auth).expect(200);
    expect(attendance.body).toEqual([]);
  });
});
