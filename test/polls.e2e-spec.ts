import { BadRequestException, ForbiddenException, NotFoundException } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { AuditEntry } from '../src/audit/audit-entry.entity';
import { PollVote } from '../src/polls/entities/poll-vote.entity';
import type { PollView } from '../src/polls/poll.view';
import { PollsService } from '../src/polls/polls.service';
import type { SessionView } from '../src/sessions/session.view';
import { createTestApp, TestApp, TestUser } from './support/test-app';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

describe('quick polls (HTTP and the shared vote rule)', () => {
  let t: TestApp;
  let admin: TestUser;
  let moderator: TestUser;
  let alice: TestUser;
  let bruno: TestUser;
  let chloe: TestUser;
  const broadcasts: PollView[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.createUser({ role: 'admin' });
    moderator = await t.createUser({ role: 'moderator' });
    alice = await t.createUser({ metropolis: 'nantes-metropole', displayName: 'Alice' });
    bruno = await t.createUser({ metropolis: 'metropole-de-lyon', displayName: 'Bruno' });
    chloe = await t.createUser({ metropolis: 'bordeaux-metropole', displayName: 'Chloé' });
    t.app.get(EventEmitter2).on('poll.updated', (event: { poll: PollView }) => broadcasts.push(event.poll));
  });
  afterAll(() => t.close());

  async function session(start = true): Promise<SessionView> {
    const created = await t
      .http()
      .post('/api/sessions')
      .set('Authorization', moderator.auth)
      .send({ title: 'Séance avec sondages', startsAt: '2030-01-15T09:00:00Z', agenda: [{ title: 'Premier point' }, { title: 'Second point' }] })
      .expect(201);
    if (!start) return created.body;
    return (await t.http().post(`/api/sessions/${created.body.id}/start`).set('Authorization', moderator.auth).expect(200)).body;
  }

  const open = (sessionId: string, body: object, by: TestUser = moderator) =>
    t.http().post(`/api/sessions/${sessionId}/polls`).set('Authorization', by.auth).send(body);
  const vote = (pollId: string, optionIndex: unknown, by: TestUser) =>
    t.http().post(`/api/polls/${pollId}/vote`).set('Authorization', by.auth).send({ optionIndex });
  const votesOf = (poll: PollView) => poll.options.map((option) => option.votes);
  const messagesOf = (response: { body: { message: string | string[] } }) => ([] as string[]).concat(response.body.message).join(' | ');

  it('opens a poll only in a live session, tied to the current item, and announces it', async () => {
    const scheduled = await session(false);
    const early = await open(scheduled.id, { question: 'Trop tôt ?', options: ['Oui', 'Non'] }).expect(409);
    expect(early.body.message).toBe('Un sondage se lance pendant une séance en cours ; celle-ci est programmée.');

    const live = await session();
    broadcasts.length = 0;
    const created = await open(live.id, { question: '  Faut-il une troisième réunion ?  ', options: ['Oui', ' Non ', 'Sans avis'] }).expect(201);
    expect(created.body).toMatchObject({
      sessionId: live.id,
      agendaItemId: live.agenda[0].id,
      question: 'Faut-il une troisième réunion ?',
      options: [
        { index: 0, label: 'Oui', votes: 0 },
        { index: 1, label: 'Non', votes: 0 },
        { index: 2, label: 'Sans avis', votes: 0 },
      ],
      status: 'open',
      myVote: null,
      totalVotes: 0,
    });
    expect(broadcasts).toEqual([created.body]);
    const audit = await t.dataSource.getRepository(AuditEntry).findOneByOrFail({ targetId: created.body.id });
    expect(audit).toMatchObject({ action: 'poll.open', actorId: moderator.user.id });

    await t.http().post(`/api/sessions/${live.id}/advance`).set('Authorization', moderator.auth).expect(200);
    const second = await open(live.id, { question: 'Et maintenant ?', options: ['A', 'B'] }, admin).expect(201);
    expect(second.body.agendaItemId).toBe(live.agenda[1].id);
  });

  it('refuses participants (403) and anonymous callers (401) on the moderator routes', async () => {
    const live = await session();
    await open(live.id, { question: 'Q ?', options: ['A', 'B'] }, alice).expect(403);
    await t
      .http()
      .post(`/api/sessions/${live.id}/polls`)
      .send({ question: 'Q ?', options: ['A', 'B'] })
      .expect(401);
    const poll = (await open(live.id, { question: 'Q ?', options: ['A', 'B'] }).expect(201)).body as PollView;
    await t.http().post(`/api/polls/${poll.id}/close`).set('Authorization', alice.auth).expect(403);
    await t.http().post(`/api/polls/${poll.id}/close`).expect(401);
    await t.http().post(`/api/polls/${poll.id}/vote`).send({ optionIndex: 0 }).expect(401);
    await t.http().get(`/api/sessions/${live.id}/polls`).expect(401);
    const still = await t.http().get(`/api/polls/${poll.id}`).set('Authorization', alice.auth).expect(200);
    expect(still.body.status).toBe('open');
  });

  it('validates the question and the options, naming each field', async () => {
    const live = await session();
    const cases: Array<[object, string[]]> = [
      [{ question: '', options: ['A', 'B'] }, ['question ne doit pas être vide.']],
      [{ question: '   ', options: ['A', 'B'] }, ['question ne doit pas être vide.']],
      [{ question: 'x'.repeat(301), options: ['A', 'B'] }, ['question doit compter au plus 300 caractères.']],
      [{ question: 'Q ?', options: ['Seule'] }, ['options doit contenir au moins 2 éléments.']],
      [{ question: 'Q ?', options: Array.from({ length: 11 }, (_, index) => `Option ${index}`) }, ['options doit contenir au plus 10 éléments.']],
      [{ question: 'Q ?', options: ['Oui', ' oui '] }, ['options ne doit pas répéter une réponse.']],
      [{ question: 'Q ?', options: ['Oui', '  '] }, ['Chaque valeur de options doit être non vide.']],
      [{ question: 'Q ?', options: ['Oui', ''] }, ['Chaque valeur de options doit compter au moins 1 caractère.']],
      [{ question: 'Q ?', options: ['Oui', 'x'.repeat(201)] }, ['Chaque valeur de options doit compter au plus 200 caractères.']],
      [{ question: 'Q ?', options: ['Oui', 3] }, ['Chaque valeur de options doit être une chaîne de caractères.']],
      [{ question: 'Q ?', options: 'Oui,Non' }, ['options doit être une liste.']],
      [{ question: 'Q ?', options: ['A', 'B'], multiple: true }, ['La propriété multiple n’est pas autorisée.']],
    ];
    for (const [body, expected] of cases) {
      const response = await open(live.id, body).expect(400);
      for (const message of expected)
        expect([JSON.stringify(body).slice(0, 40), messagesOf(response)]).toEqual([
          JSON.stringify(body).slice(0, 40),
          expect.stringContaining(message),
        ]);
    }
    const listed = await t.http().get(`/api/sessions/${live.id}/polls`).set('Authorization', alice.auth).expect(200);
    expect(listed.body).toEqual([]);
  });

  it('counts one vote per person, lets them change it, and announces every vote without anyone’s own choice', async () => {
    const live = await session();
    const poll = (
      await open(live.id, { question: 'Quel format ?', options: ['Présentiel', 'Visio', 'Hybride'], hideResultsUntilVoted: false }).expect(201)
    ).body as PollView;
    broadcasts.length = 0;

    const first = await vote(poll.id, 0, alice).expect(200);
    expect(first.body).toMatchObject({ id: poll.id, myVote: 0, totalVotes: 1 });
    expect(votesOf(first.body)).toEqual([1, 0, 0]);
    const changed = await vote(poll.id, 2, alice).expect(200);
    expect(changed.body.myVote).toBe(2);
    expect(votesOf(changed.body)).toEqual([0, 0, 1]);
    const same = await vote(poll.id, 2, alice).expect(200);
    expect(votesOf(same.body)).toEqual([0, 0, 1]);
    await vote(poll.id, 2, bruno).expect(200);
    const third = await vote(poll.id, 1, chloe).expect(200);
    expect(third.body).toMatchObject({ myVote: 1, totalVotes: 3 });
    expect(votesOf(third.body)).toEqual([0, 1, 2]);
    expect(await t.dataSource.getRepository(PollVote).countBy({ pollId: poll.id })).toBe(3);

    expect(broadcasts.map(votesOf)).toEqual([
      [1, 0, 0],
      [0, 0, 1],
      [0, 0, 1],
      [0, 0, 2],
      [0, 1, 2],
    ]);
    expect(broadcasts.every((view) => view.myVote === null && view.id === poll.id)).toBe(true);

    // each reader sees their own vote in the list
    const forAlice = await t.http().get(`/api/sessions/${live.id}/polls`).set('Authorization', alice.auth).expect(200);
    expect(forAlice.body).toHaveLength(1);
    expect(forAlice.body[0]).toMatchObject({ id: poll.id, myVote: 2 });
    expect(votesOf(forAlice.body[0])).toEqual([0, 1, 2]);
    const forModerator = await t.http().get(`/api/sessions/${live.id}/polls`).set('Authorization', moderator.auth).expect(200);
    expect(forModerator.body[0].myVote).toBeNull();
    expect((await t.http().get(`/api/polls/${poll.id}`).set('Authorization', chloe.auth).expect(200)).body.myVote).toBe(1);
  });

  it('counts concurrent votes exactly', async () => {
    const live = await session();
    const poll = (await open(live.id, { question: 'Rafale ?', options: ['A', 'B'] }).expect(201)).body as PollView;
    const voters = await Promise.all(Array.from({ length: 8 }, (_, index) => t.createUser({ displayName: `Votant ${index}` })));
    const answers = await Promise.all(voters.map((voter, index) => vote(poll.id, index % 2, voter)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(8).fill(200));
    // a voter sees the counts of a poll that hides them from the others
    const final = await t.http().get(`/api/polls/${poll.id}`).set('Authorization', voters[0].auth).expect(200);
    expect(votesOf(final.body)).toEqual([4, 4]);
  });

  it('refuses a bad option index (400 naming optionIndex), an unknown poll (404) and a malformed id (400)', async () => {
    const live = await session();
    const poll = (await open(live.id, { question: 'Deux options ?', options: ['A', 'B'] }).expect(201)).body as PollView;
    const outOfRange = await vote(poll.id, 2, alice).expect(400);
    expect(outOfRange.body.message).toEqual(['optionIndex doit être un entier de 0 à 1.']);
    for (const bad of [-1, 1.5, '0', null]) expect(messagesOf(await vote(poll.id, bad, alice).expect(400))).toContain('optionIndex');
    const noIndex = await t.http().post(`/api/polls/${poll.id}/vote`).set('Authorization', alice.auth).send({}).expect(400);
    expect(messagesOf(noIndex)).toContain('optionIndex doit être un nombre entier.');
    await vote(UNKNOWN_ID, 0, alice).expect(404);
    await vote('pas-un-id', 0, alice).expect(400);
    await t.http().post(`/api/polls/${UNKNOWN_ID}/close`).set('Authorization', moderator.auth).expect(404);
    await t.http().post('/api/polls/pas-un-id/close').set('Authorization', moderator.auth).expect(400);
    await t.http().get(`/api/polls/${UNKNOWN_ID}`).set('Authorization', alice.auth).expect(404);
    await t.http().get(`/api/sessions/${UNKNOWN_ID}/polls`).set('Authorization', alice.auth).expect(404);
    await t.http().get('/api/sessions/pas-un-id/polls').set('Authorization', alice.auth).expect(400);
    await open(UNKNOWN_ID, { question: 'Q ?', options: ['A', 'B'] }).expect(404);
    expect(votesOf((await t.http().get(`/api/polls/${poll.id}`).set('Authorization', alice.auth).expect(200)).body)).toEqual([0, 0]);
  });

  it('closes a poll once (409 the second time), then refuses votes with 403', async () => {
    const live = await session();
    const poll = (await open(live.id, { question: 'On clôt ?', options: ['Oui', 'Non'] }).expect(201)).body as PollView;
    await vote(poll.id, 0, alice).expect(200);
    await vote(poll.id, 0, bruno).expect(200);
    broadcasts.length = 0;
    const closed = await t.http().post(`/api/polls/${poll.id}/close`).set('Authorization', moderator.auth).expect(200);
    expect(closed.body).toMatchObject({ status: 'closed', myVote: null, totalVotes: 2 });
    expect(Date.parse(closed.body.closedAt)).not.toBeNaN();
    expect(broadcasts).toHaveLength(1);
    expect(broadcasts[0]).toMatchObject({ id: poll.id, status: 'closed', myVote: null });
    expect(votesOf(broadcasts[0])).toEqual([2, 0]);
    await t.http().post(`/api/polls/${poll.id}/close`).set('Authorization', moderator.auth).expect(409);
    const late = await vote(poll.id, 1, chloe).expect(403);
    expect(late.body.message).toBe('Ce sondage est clos.');
    await vote(poll.id, 1, alice).expect(403);
    expect(votesOf((await t.http().get(`/api/polls/${poll.id}`).set('Authorization', alice.auth).expect(200)).body)).toEqual([2, 0]);
    expect(broadcasts).toHaveLength(1);
    const actions = (await t.dataSource.getRepository(AuditEntry).find({ where: { targetId: poll.id }, order: { createdAt: 'ASC' } })).map(
      (entry) => entry.action,
    );
    expect(actions).toEqual(['poll.open', 'poll.close']);
  });

  it('closes the open polls with their session and announces them', async () => {
    const live = await session();
    const stillOpen = (await open(live.id, { question: 'Ouvert ?', options: ['A', 'B'] }).expect(201)).body as PollView;
    const alreadyClosed = (await open(live.id, { question: 'Fermé ?', options: ['A', 'B'] }).expect(201)).body as PollView;
    await t.http().post(`/api/polls/${alreadyClosed.id}/close`).set('Authorization', moderator.auth).expect(200);
    broadcasts.length = 0;
    await t.http().post(`/api/sessions/${live.id}/close`).set('Authorization', moderator.auth).expect(200);
    expect(broadcasts.map((view) => [view.id, view.status])).toEqual([[stillOpen.id, 'closed']]);
    await vote(stillOpen.id, 0, alice).expect(403);
    const after = await open(live.id, { question: 'Après ?', options: ['A', 'B'] }).expect(409);
    expect(after.body.message).toBe('Un sondage se lance pendant une séance en cours ; celle-ci est close.');
    const listed = await t.http().get(`/api/sessions/${live.id}/polls`).set('Authorization', alice.auth).expect(200);
    expect(listed.body.map((view: PollView) => [view.question, view.status])).toEqual([
      ['Ouvert ?', 'closed'],
      ['Fermé ?', 'closed'],
    ]);
  });

  it('gives the live gateway the same rule through PollsService.vote', async () => {
    const polls = t.app.get(PollsService);
    const live = await session();
    const poll = (await open(live.id, { question: 'Par socket ?', options: ['A', 'B', 'C'] }).expect(201)).body as PollView;
    const view = await polls.vote(alice.user, poll.id, 1);
    expect(view).toMatchObject({ id: poll.id, myVote: 1 });
    expect(votesOf(view)).toEqual([0, 1, 0]);
    expect(votesOf(await polls.vote(alice.user, poll.id, 2))).toEqual([0, 0, 1]);
    await expect(polls.vote(alice.user, UNKNOWN_ID, 0)).rejects.toBeInstanceOf(NotFoundException);
    const outOfRange = polls.vote(alice.user, poll.id, 3);
    await expect(outOfRange).rejects.toBeInstanceOf(BadRequestException);
    await expect(polls.vote(alice.user, poll.id, 3)).rejects.toMatchObject({ response: { message: ['optionIndex doit être un entier de 0 à 2.'] } });
    await t.http().post(`/api/polls/${poll.id}/close`).set('Authorization', moderator.auth).expect(200);
    await expect(polls.vote(alice.user, poll.id, 0)).rejects.toBeInstanceOf(ForbiddenException);
  });
});
