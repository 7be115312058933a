import { Database } from '../../src/database/database.service';
import { UserVisit } from '../../src/follow-up/user-visit.entity';
import type { LiveNotification } from '../../src/live/live-events';
import { notificationsOf as notificationsOfUser, openThread } from '../support/follow-up';
import { createTestApp, discussionCast, TestApp, TestUser } from '../support/test-app';
import { closeAllClients, connect, nextEvent, ok, raw, record, send } from './live-client';

/**
 * The follow-up heard live (notification:created, thread:activity, thread:created, thread:read) and the
 * notifications of the other kinds: a practice published, a report, a session going live; then « what's new ».
 */
describe('follow-up live and what’s new', () => {
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

  const newThread = (author: TestUser, body = 'Premier message') => openThread(t, author, topicId, { title: 'En direct', body });
  const notificationsOf = (user: TestUser) => notificationsOfUser(t, user);

  it('announces a new thread to everyone, then each post as thread:activity, and the notification to the person only', async () => {
    const [brunoSocket, aliceSocket] = [await connect(t.url, bruno.token), await connect(t.url, alice.token)];
    const created = nextEvent(brunoSocket, 'thread:created');
    const { threadId } = await newThread(alice);
    expect(await created).toMatchObject({ id: threadId, topicId, title: 'En direct', postCount: 1, author: { id: alice.user.id } });

    const activity = nextEvent(aliceSocket, 'thread:activity');
    const notified = nextEvent(aliceSocket, 'notification:created');
    const posted = ok(await send(brunoSocket, 'post:create', { threadId, body: 'Réponse en direct' }));
    expect(await activity).toEqual({
      threadId,
      topicId,
      lastSeq: 2,
      postCount: 2,
      lastPostAt: posted.post.createdAt,
      authorId: bruno.user.id,
    });
    const notification = await notified;
    expect(notification).toMatchObject({ kind: 'watched', threadId, postId: posted.post.id, seq: 2, excerpt: 'Réponse en direct' });
    expect((await notificationsOf(alice)).find((each) => each.id === notification.id)).toEqual(notification);
  });

  it('keeps thread:activity from the sockets in the thread itself, which hear the post instead', async () => {
    const { threadId } = await newThread(alice);
    const [inThread, elsewhere] = [await connect(t.url, alice.token), await connect(t.url, moderator.token)];
    ok(await send(inThread, 'thread:subscribe', { threadId }));
    const [activityInThread, activityElsewhere] = [record(inThread, 'thread:activity'), record(elsewhere, 'thread:activity')];
    const heardPost = nextEvent(inThread, 'post:created');
    const heardActivity = nextEvent(elsewhere, 'thread:activity');
    const writer = await connect(t.url, bruno.token);
    const posted = ok(await send(writer, 'post:create', { threadId, body: 'Pour le fil ouvert' }));
    expect(await heardPost).toMatchObject({ id: posted.post.id, seq: 2 });
    expect(await heardActivity).toMatchObject({ threadId, lastSeq: 2 });
    // the post reached the room before this round trip ended; an activity sent to it would have too
    ok(await send(inThread, 'thread:subscribe', { threadId, afterSeq: 2 }));
    expect(activityInThread).toEqual([]);
    expect(activityElsewhere).toHaveLength(1);
  });

  it('marks read over the socket by the same rules as HTTP, and answers a bad payload without dropping the connection', async () => {
    const { threadId } = await newThread(alice);
    const socket = await connect(t.url, bruno.token);
    expect(ok(await send(socket, 'thread:read', { threadId, seq: 50 }))).toEqual({ ok: true, lastReadSeq: 1 });
    expect(ok(await send(socket, 'thread:read', { threadId, seq: 0 }))).toEqual({ ok: true, lastReadSeq: 1 });
    const refused = await raw(socket, 'thread:read', { threadId, seq: -3 });
    expect(refused).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    const unknown = await raw(socket, 'thread:read', { threadId: '00000000-0000-4000-8000-000000000000', seq: 1 });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const page = await t.http().get(`/api/threads/${threadId}`).set('Authorization', bruno.auth).expect(200);
    expect(page.body.thread).toMatchObject({ lastReadSeq: 1, unreadCount: 0 });
  });

  it('notifies everyone when a practice sheet is published, and the moderators when a post is reported', async () => {
    const nantes = await t.createUser({ displayName: 'Nina Nantes', metropolis: 'nantes-metropole' });
    const heard = nextEvent(await connect(t.url, bruno.token), 'notification:created');
    const { body: practice } = await t
      .http()
      .post('/api/practices')
      .set('Authorization', nantes.auth)
      .send({ title: 'Fiche nouvelle', summary: 'Résumé', description: 'Description', stage: 'idea' })
      .expect(201);
    expect(await heard).toMatchObject({
      kind: 'practice-published',
      practiceId: practice.id,
      title: 'Fiche nouvelle',
      actor: { id: nantes.user.id },
    });
    expect((await notificationsOf(nantes)).filter((each) => each.practiceId === practice.id)).toEqual([]);

    const { threadId, postId } = await newThread(alice, 'Un message à signaler');
    const toModerator = nextEvent(await connect(t.url, moderator.token), 'notification:created');
    const { body: flag } = await t
      .http()
      .post(`/api/posts/${postId}/flags`)
      .set('Authorization', bruno.auth)
      .send({ reason: 'Hors sujet' })
      .expect(201);
    expect(await toModerator).toMatchObject({ kind: 'flag', flagId: flag.id, postId, threadId, seq: 1, excerpt: 'Un message à signaler' });
    expect((await notificationsOf(alice)).filter((each) => each.kind === 'flag')).toEqual([]);
  });

  it('tells the registered who are not in the room that the session started, and not those already in it', async () => {
    const [inRoom, away] = [await t.createUser({ displayName: 'Dans la salle' }), await t.createUser({ displayName: 'Absente' })];
    const { body: session } = await t
      .http()
      .post('/api/sessions')
      .set('Authorization', moderator.auth)
      .send({ title: 'Séance en ligne', description: '', startsAt: '2030-06-18T08:00:00Z', agenda: [{ title: 'Ouverture' }] })
      .expect(201);
    for (const person of [inRoom, away]) await t.http().post(`/api/sessions/${session.id}/join`).set('Authorization', person.auth).expect(200);
    const roomSocket = await connect(t.url, inRoom.token);
    ok(await send(roomSocket, 'session:join', { sessionId: session.id }));

    const told = nextEvent(await connect(t.url, away.token), 'notification:created');
    await t.http().post(`/api/sessions/${session.id}/start`).set('Authorization', moderator.auth).expect(200);
    expect(await told).toMatchObject({ kind: 'session-started', sessionId: session.id, title: 'Séance en ligne', actor: { id: moderator.user.id } });
    expect((await notificationsOf(inRoom)).filter((each) => each.sessionId === session.id)).toEqual([]);
  });

  it('shows what is new since the start of the previous visit: next sessions, unread threads, new practices, unread notifications', async () => {
    const olga = await t.createUser({ displayName: 'Olga Retour' });
    const whatsNew = async () => (await t.http().get('/api/me/whats-new').set('Authorization', olga.auth).expect(200)).body;
    const first = await whatsNew();
    expect(first).toMatchObject({ since: olga.user.createdAt.toISOString(), firstVisit: true });

    const { threadId } = await newThread(alice, 'Pour @olga.retour');
    await t.http().post(`/api/threads/${threadId}/posts`).set('Authorization', bruno.auth).send({ body: 'Et un autre' }).expect(201);
    const nantes = await t.createUser({ displayName: 'Paul Nantes', metropolis: 'nantes-metropole' });
    const { body: practice } = await t
      .http()
      .post('/api/practices')
      .set('Authorization', nantes.auth)
      .send({ title: 'Pendant l’absence', summary: 'Résumé', description: 'Description', stage: 'pilot' })
      .expect(201);
    const { body: session } = await t
      .http()
      .post('/api/sessions')
      .set('Authorization', moderator.auth)
      .send({ title: 'Prochaine séance', description: '', startsAt: '2031-01-15T09:00:00Z', agenda: [] })
      .expect(201);

    // a visit that ended long ago: the next look starts a new one, counted from the start of that one
    const visitStart = new Date(Date.now() - 3 * 3600_000);
    await t.app
      .get(Database)
      .write((manager) =>
        manager.update(UserVisit, { userId: olga.user.id }, { currentStartedAt: visitStart, lastSeenAt: new Date(Date.now() - 2 * 3600_000) }),
      );
    const back = await whatsNew();
    expect(back).toMatchObject({ since: visitStart.toISOString(), firstVisit: false });
    expect(back.threads[0]).toMatchObject({ id: threadId, topicId, unreadCount: 2, lastReadSeq: 0 });
    expect(back.practices.map((each: { id: string }) => each.id)).toContain(practice.id);
    expect(back.sessions.find((each: { id: string }) => each.id === session.id)).toMatchObject({ joined: false, status: 'scheduled' });
    expect(back.notifications.map((each: LiveNotification) => each.kind)).toEqual(expect.arrayContaining(['mention', 'practice-published']));

    // a reload during the visit shows the same; reading empties the threads, not the practices
    await t.http().put(`/api/threads/${threadId}/read`).set('Authorization', olga.auth).send({ seq: 2 }).expect(200);
    const reloaded = await whatsNew();
    expect(reloaded.since).toBe(back.since);
    expect(reloaded.threads.map((each: { id: string }) => each.id)).not.toContain(threadId);
    expect(reloaded.practices.map((each: { id: string }) => each.id)).toContain(practice.id);
  });
});
