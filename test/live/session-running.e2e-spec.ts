import type { LivePoll, LiveSession } from '../../src/live/live-events';
import { createTestApp, TestApp, TestUser } from '../support/test-app';
import { closeAllClients, connect, LiveClient, nextEvent, ok, record, send } from './live-client';

/** Issue 13 items 6, 7, 8 and 10 on the server: hidden poll results, « Point précédent », item timings and decisions, hide reasons. */
describe('running a session: hidden poll results, going back, timings, decisions; hide reasons (HTTP and live)', () => {
  let t: TestApp;
  let alice: TestUser;
  let bruno: TestUser;
  let moderator: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    alice = await t.createUser({ metropolis: 'nantes-metropole', displayName: 'Alice' });
    bruno = await t.createUser({ metropolis: 'metropole-de-lyon', displayName: 'Bruno' });
    moderator = await t.createUser({ role: 'moderator', displayName: 'Modé Ratrice' });
  });
  afterEach(() => closeAllClients());
  afterAll(() => t.close());

  async function liveSession(): Promise<LiveSession> {
    const { body } = await t
      .http()
      .post('/api/sessions')
      .set('Authorization', moderator.auth)
      .send({ title: 'Séance animée', startsAt: new Date(Date.now() + 3_600_000).toISOString(), agenda: [{ title: 'Accueil' }, { title: 'Bilan' }] })
      .expect(201);
    return (await t.http().post(`/api/sessions/${body.id}/start`).set('Authorization', moderator.auth).expect(200)).body as LiveSession;
  }

  async function inRoom(user: TestUser, sessionId: string): Promise<LiveClient> {
    const socket = await connect(t.url, user.token);
    ok(await send(socket, 'session:join', { sessionId }));
    return socket;
  }

  const votesOf = (poll: LivePoll) => poll.options.map((option) => option.votes);
  const move = (sessionId: string, action: string, by: TestUser = moderator) =>
    t.http().post(`/api/sessions/${sessionId}/${action}`).set('Authorization', by.auth);

  it('keeps poll counts from those who have not voted, live and over HTTP, until they vote or the poll closes', async () => {
    const session = await liveSession();
    const voter = await inRoom(alice, session.id);
    const watcher = await inRoom(bruno, session.id);
    const watcherHeard = record(watcher, 'poll:updated');

    const opened = await t
      .http()
      .post(`/api/sessions/${session.id}/polls`)
      .set('Authorization', moderator.auth)
      .send({ question: 'Quel rythme ?', options: ['Mensuel', 'Trimestriel'] })
      .expect(201);
    expect(opened.body).toMatchObject({ hideResultsUntilVoted: true, resultsHidden: true });
    const pollId = opened.body.id as string;

    const voterHears = nextEvent(voter, 'poll:updated', (poll) => poll.totalVotes === 1);
    const watcherHears = nextEvent(watcher, 'poll:updated', (poll) => poll.totalVotes === 1);
    const ack = ok(await send(voter, 'poll:vote', { pollId, optionIndex: 1 }));
    expect(ack.poll).toMatchObject({ myVote: 1, resultsHidden: false });
    expect(votesOf(ack.poll)).toEqual([0, 1]);
    // the voter's sockets get the counts, the rest of the room only that someone voted
    expect(votesOf(await voterHears)).toEqual([0, 1]);
    expect(await watcherHears).toMatchObject({ resultsHidden: true, totalVotes: 1, options: [{ votes: 0 }, { votes: 0 }] });

    const forBruno = await t.http().get(`/api/polls/${pollId}`).set('Authorization', bruno.auth).expect(200);
    expect(forBruno.body).toMatchObject({ resultsHidden: true, myVote: null });
    expect(votesOf(forBruno.body)).toEqual([0, 0]);
    const listedForAlice = await t.http().get(`/api/sessions/${session.id}/polls`).set('Authorization', alice.auth).expect(200);
    expect(votesOf(listedForAlice.body[0])).toEqual([0, 1]);
    const minutes = await t.http().get(`/api/sessions/${session.id}/minutes`).set('Authorization', alice.auth).expect(200);
    expect(minutes.text).toContain('résultats donnés à la clôture');

    const closing = nextEvent(watcher, 'poll:updated', (poll) => poll.status === 'closed');
    await t.http().post(`/api/polls/${pollId}/close`).set('Authorization', moderator.auth).expect(200);
    expect(await closing).toMatchObject({ resultsHidden: false, options: [{ votes: 0 }, { votes: 1 }] });
    // no count reached the watcher before the close
    expect(watcherHeard.filter((poll) => poll.status === 'open').every((poll) => poll.options.every((option) => option.votes === 0))).toBe(true);

    const visible = await t
      .http()
      .post(`/api/sessions/${session.id}/polls`)
      .set('Authorization', moderator.auth)
      .send({ question: 'Tout de suite ?', options: ['Oui', 'Non'], hideResultsUntilVoted: false })
      .expect(201);
    const shown = nextEvent(watcher, 'poll:updated', (poll) => poll.id === visible.body.id && poll.totalVotes === 1);
    await t.http().post(`/api/polls/${visible.body.id}/vote`).set('Authorization', alice.auth).send({ optionIndex: 0 }).expect(200);
    expect(votesOf(await shown)).toEqual([1, 0]);
    await t
      .http()
      .post(`/api/sessions/${session.id}/polls`)
      .set('Authorization', moderator.auth)
      .send({ question: 'Mauvais ?', options: ['A', 'B'], hideResultsUntilVoted: 'oui' })
      .expect(400);
  });

  it('goes back to the previous item (409 on the first), stamps each item’s real start and end, and broadcasts it', async () => {
    const session = await liveSession();
    const [first, second] = session.agenda;
    expect(first.startedAt).not.toBeNull();
    const socket = await inRoom(bruno, session.id);

    expect((await move(session.id, 'back').expect(409)).body.message).toBe('Le point en cours est le premier de l’ordre du jour.');
    await move(session.id, 'back', alice).expect(403);

    let updated = nextEvent(socket, 'session:updated');
    const advanced = (await move(session.id, 'advance').expect(200)).body as LiveSession;
    expect((await updated).currentItemId).toBe(second.id);
    expect(advanced.agenda[0].endedAt).not.toBeNull();
    expect(advanced.agenda[1]).toMatchObject({ startedAt: expect.any(String), endedAt: null });
    await move(session.id, 'advance').expect(409);

    updated = nextEvent(socket, 'session:updated');
    const back = (await move(session.id, 'back').expect(200)).body as LiveSession;
    expect(back.currentItemId).toBe(first.id);
    expect(await updated).toMatchObject({ currentItemId: first.id });
    expect(back.agenda[0]).toMatchObject({ startedAt: expect.any(String), endedAt: null });
    expect(back.agenda[1].endedAt).not.toBeNull();

    const closed = (await move(session.id, 'close').expect(200)).body as LiveSession;
    expect(closed.agenda[0].endedAt).not.toBeNull();
    await move(session.id, 'back').expect(409);
  });

  it('lets moderators write « Décisions et suites » per item, broadcast live, and puts them with who ran it and the timings into the minutes', async () => {
    const session = await liveSession();
    const [first] = session.agenda;
    const socket = await inRoom(alice, session.id);
    const path = `/api/sessions/${session.id}/agenda/${first.id}`;

    const updated = nextEvent(socket, 'session:updated');
    const written = await t.http().patch(path).set('Authorization', moderator.auth).send({ decisions: 'Une note commune d’ici juin.' }).expect(200);
    expect(written.body.agenda[0].decisions).toBe('Une note commune d’ici juin.');
    expect((await updated).agenda[0].decisions).toBe('Une note commune d’ici juin.');

    await t.http().patch(path).set('Authorization', alice.auth).send({ decisions: 'Non' }).expect(403);
    await t
      .http()
      .patch(`/api/sessions/${session.id}/agenda/${session.id}`)
      .set('Authorization', moderator.auth)
      .send({ decisions: 'x' })
      .expect(404);
    await t.http().patch(path).set('Authorization', moderator.auth).send({ decisions: 3 }).expect(400);
    await t.http().patch(path).set('Authorization', moderator.auth).send({ decisions: 'x', title: 'y' }).expect(400);

    await move(session.id, 'advance').expect(200);
    await move(session.id, 'close').expect(200);
    const minutes = await t.http().get(`/api/sessions/${session.id}/minutes`).set('Authorization', alice.auth).expect(200);
    expect(minutes.text).toContain('- **Animation** : **Modé Ratrice**');
    expect(minutes.text).toMatch(/## 1\. Accueil\n\n- Horaires réels : de \d\d h \d\d à \d\d h \d\d \(\d+ min\)/);
    expect(minutes.text).toContain('### Décisions et suites\n\n> Une note commune d’ici juin.');

    const screen = await t.http().get(`/api/sessions/${session.id}/minutes/html`).set('Authorization', alice.auth).expect(200);
    expect(screen.body.markdown).toBe(minutes.text);
    // cooked as a post is: headings start at h3, below the page's own
    expect(screen.body.html).toContain('<h3>Compte rendu — Séance animée</h3>');
    expect(screen.body.html).toContain('<blockquote>');
    await t.http().get(`/api/sessions/${session.id}/minutes/html`).expect(401);
  });

  it('tells the author of a hidden post, and moderators, why it was hidden; nobody else', async () => {
    const session = await liveSession();
    const threadId = session.agenda[0].threadId;
    const post = (await t.http().post(`/api/threads/${threadId}/posts`).set('Authorization', alice.auth).send({ body: 'Hors sujet' }).expect(201))
      .body;

    const hidden = await t
      .http()
      .post(`/api/posts/${post.id}/hide`)
      .set('Authorization', moderator.auth)
      .send({ reason: '  Hors du sujet de la séance ' })
      .expect(200);
    expect(hidden.body).toMatchObject({ hidden: true, hiddenReason: 'Hors du sujet de la séance' });
    const readBy = async (user: TestUser) =>
      (await t.http().get(`/api/threads/${threadId}`).set('Authorization', user.auth).expect(200)).body.posts.find(
        (p: { id: string }) => p.id === post.id,
      );
    expect(await readBy(alice)).toMatchObject({ hidden: true, body: 'Hors sujet', hiddenReason: 'Hors du sujet de la séance' });
    expect(await readBy(bruno)).toMatchObject({ hidden: true, body: '', hiddenReason: null });
    await t.http().post(`/api/posts/${post.id}/hide`).set('Authorization', moderator.auth).send({ reason: ' ' }).expect(400);
    await t
      .http()
      .post(`/api/posts/${post.id}/hide`)
      .set('Authorization', moderator.auth)
      .send({ reason: 'x'.repeat(501) })
      .expect(400);

    await t.http().post(`/api/posts/${post.id}/unhide`).set('Authorization', moderator.auth).expect(200);
    expect(await readBy(alice)).toMatchObject({ hidden: false, hiddenReason: null });

    // through the moderation queue
    await t.http().post(`/api/posts/${post.id}/flags`).set('Authorization', bruno.auth).send({ reason: 'Hors sujet' }).expect(201);
    await t
      .http()
      .post(`/api/moderation/queue/${post.id}/resolve`)
      .set('Authorization', moderator.auth)
      .send({ action: 'hide', reason: 'Signalé deux fois' })
      .expect(200);
    expect(await readBy(alice)).toMatchObject({ hidden: true, hiddenReason: 'Signalé deux fois' });
  });
});
