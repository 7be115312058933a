import type { LiveSession, LiveUserSummary } from '../../src/live/live-events';
import { createTestApp, TestApp, TestUser } from '../support/test-app';
import { closeAllClients, connect, disconnected, LiveClient, nextEvent, ok, send } from './live-client';

describe('live sessions: presence, agenda and polls (socket.io /live)', () => {
  let t: TestApp;
  let alice: TestUser;
  let bruno: TestUser;
  let moderator: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    alice = await t.createUser({ metropolis: 'nantes-metropole', displayName: 'Alice' });
    bruno = await t.createUser({ metropolis: 'metropole-de-lyon', displayName: 'Bruno' });
    moderator = await t.createUser({ role: 'moderator', displayName: 'Modé' });
  });
  afterEach(() => closeAllClients());
  afterAll(() => t.close());

  async function newSession(): Promise<LiveSession> {
    const { body } = await t
      .http()
      .post('/api/sessions')
      .set('Authorization', moderator.auth)
      .send({
        title: 'Plénière de printemps',
        description: 'Séance en ligne',
        startsAt: new Date(Date.now() + 3_600_000).toISOString(),
        agenda: [{ title: 'Accueil', durationMinutes: 10 }, { title: 'Mesure d’impact' }, { title: 'Clôture' }],
      })
      .expect(201);
    return body as LiveSession;
  }

  async function joined(user: TestUser, sessionId: string): Promise<{ socket: LiveClient; presence: LiveUserSummary[]; session: LiveSession }> {
    const socket = await connect(t.url, user.token);
    const ack = ok(await send(socket, 'session:join', { sessionId }));
    return { socket, presence: ack.presence, session: ack.session };
  }

  const names = (users: LiveUserSummary[]) => users.map((user) => user.displayName);

  it('keeps presence per person: two tabs count once, one tab leaving keeps the person, a disconnect removes them', async () => {
    const session = await newSession();
    const sessionId = session.id;
    const first = await joined(alice, sessionId);
    expect(first.session).toMatchObject({ id: sessionId, title: 'Plénière de printemps', status: 'scheduled' });
    expect(first.presence).toEqual([
      { id: alice.user.id, displayName: 'Alice', role: 'participant', metropolis: expect.objectContaining({ slug: 'nantes-metropole' }) },
    ]);

    const watcher = await joined(bruno, sessionId);
    expect(names(watcher.presence)).toEqual(['Alice', 'Bruno']);

    let update = nextEvent(watcher.socket, 'presence:update');
    const secondTab = await joined(alice, sessionId);
    expect(names(secondTab.presence)).toEqual(['Alice', 'Bruno']);
    expect(await update).toEqual({ sessionId, users: secondTab.presence });

    update = nextEvent(watcher.socket, 'presence:update');
    expect(await send(first.socket, 'session:leave', { sessionId })).toEqual({ ok: true });
    expect(names((await update).users)).toEqual(['Alice', 'Bruno']);

    update = nextEvent(watcher.socket, 'presence:update');
    const gone = disconnected(secondTab.socket);
    secondTab.socket.close();
    await gone;
    expect(await update).toEqual({ sessionId, users: [expect.objectContaining({ id: bruno.user.id })] });
  });

  it('sends session:updated to the joined clients on start, advance and close over HTTP', async () => {
    const session = await newSession();
    const { socket } = await joined(bruno, session.id);

    let updated = nextEvent(socket, 'session:updated');
    const started = await t.http().post(`/api/sessions/${session.id}/start`).set('Authorization', moderator.auth).expect(200);
    expect(started.body).toMatchObject({ status: 'live', currentItemId: session.agenda[0].id });
    // the broadcast is the Session anybody may see: the HTTP answer may add fields about its reader (joined…)
    expect(await updated).toMatchObject({
      id: session.id,
      title: session.title,
      status: 'live',
      currentItemId: session.agenda[0].id,
      // the item reached is stamped with its real start
      agenda: session.agenda.map((item, index) => (index === 0 ? { ...item, startedAt: expect.any(String) } : item)),
    });

    updated = nextEvent(socket, 'session:updated');
    await t.http().post(`/api/sessions/${session.id}/advance`).set('Authorization', moderator.auth).expect(200);
    expect(await updated).toMatchObject({ id: session.id, status: 'live', currentItemId: session.agenda[1].id });

    updated = nextEvent(socket, 'session:updated');
    await t.http().post(`/api/sessions/${session.id}/close`).set('Authorization', moderator.auth).expect(200);
    expect(await updated).toMatchObject({ id: session.id, status: 'closed' });
  });

  it('tells the room when someone joins or leaves the session over HTTP: the participantCount, no reader field', async () => {
    const session = await newSession();
    const { socket } = await joined(bruno, session.id);

    let updated = nextEvent(socket, 'session:updated');
    const joinedByAlice = await t.http().post(`/api/sessions/${session.id}/join`).set('Authorization', alice.auth).expect(200);
    expect(joinedByAlice.body).toMatchObject({ participantCount: 1, joined: true });
    const heard = await updated;
    expect(heard).toMatchObject({ id: session.id, participantCount: 1 });
    expect(heard).not.toHaveProperty('joined');

    updated = nextEvent(socket, 'session:updated');
    await t.http().delete(`/api/sessions/${session.id}/join`).set('Authorization', alice.auth).expect(200);
    expect(await updated).toMatchObject({ id: session.id, participantCount: 0 });
  });

  it('runs a poll end to end: open → poll:updated, live vote → ack and counts, close, vote after close → forbidden', async () => {
    const session = await newSession();
    await t.http().post(`/api/sessions/${session.id}/start`).set('Authorization', moderator.auth).expect(200);
    const voter = await joined(alice, session.id);
    const watcher = await joined(bruno, session.id);

    let broadcast = nextEvent(watcher.socket, 'poll:updated');
    const opened = await t
      .http()
      .post(`/api/sessions/${session.id}/polls`)
      .set('Authorization', moderator.auth)
      .send({ question: 'Quel indicateur d’abord ?', options: ['Emploi', 'Lien social'], hideResultsUntilVoted: false })
      .expect(201);
    const pollId = opened.body.id as string;
    expect(await broadcast).toMatchObject({
      id: pollId,
      sessionId: session.id,
      status: 'open',
      options: [
        { index: 0, label: 'Emploi', votes: 0 },
        { index: 1, label: 'Lien social', votes: 0 },
      ],
    });

    broadcast = nextEvent(watcher.socket, 'poll:updated');
    const vote = ok(await send(voter.socket, 'poll:vote', { pollId, optionIndex: 1 }));
    expect(vote.poll).toMatchObject({ id: pollId, myVote: 1, options: [{ votes: 0 }, { votes: 1 }] });
    expect(await broadcast).toMatchObject({ id: pollId, myVote: null, options: [{ votes: 0 }, { votes: 1 }] });

    broadcast = nextEvent(watcher.socket, 'poll:updated');
    const changed = ok(await send(voter.socket, 'poll:vote', { pollId, optionIndex: 0 }));
    expect(changed.poll).toMatchObject({ myVote: 0, options: [{ votes: 1 }, { votes: 0 }] });
    expect(await broadcast).toMatchObject({ options: [{ votes: 1 }, { votes: 0 }] });

    expect(await send(voter.socket, 'poll:vote', { pollId, optionIndex: 7 })).toMatchObject({ ok: false, error: { code: 'bad_request' } });

    broadcast = nextEvent(watcher.socket, 'poll:updated');
    await t
      .http()
      .post(`/api/polls/${pollId}/close`)
      .set('Authorization', moderator.auth)
      .expect((response) => expect([200, 201]).toContain(response.status));
    expect(await broadcast).toMatchObject({ id: pollId, status: 'closed', options: [{ votes: 1 }, { votes: 0 }] });

    expect(await send(voter.socket, 'poll:vote', { pollId, optionIndex: 1 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(voter.socket.connected).toBe(true);
  });
});
