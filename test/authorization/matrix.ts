import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { PasswordReset } from '../../src/password-reset/password-reset.entity';
import { PreferencesService } from '../../src/preferences/preferences.service';
import { minimalPdf } from '../support/sample-files';
import { TEST_PASSWORD } from '../support/test-app';
import type { Actor, Fixtures, Request } from './fixtures';

/**
 * The expected outcome of every route × actor, one row per `METHOD /api/path` of the OpenAPI document (path
 * parameters as OpenAPI writes them: `{id}`). A route added to the API without a row here fails
 * test/authorization/authorization.e2e-spec.ts: add its row below, with the status each actor must get and how its
 * target is built (fresh for each cell, so that one cell's change cannot decide another's outcome).
 */
export interface MatrixRow {
  /** What the target is, and whose: « Alice's post » makes the ownership cells (Alice 200, Bruno 403). */
  target: string;
  /** The request of one cell; `actor` only where the body depends on who sends it. */
  request: (fx: Fixtures, actor: Actor) => Promise<Request> | Request;
  expected: Record<Actor, number>;
  /** Undoes what a cell changed about the actors themselves (a new password makes their token stale). */
  afterwards?: (fx: Fixtures, actor: Actor) => Promise<void>;
}

/** Public routes: the token, valid or not, changes nothing. */
const everyone = (status: number): Record<Actor, number> => ({
  anonymous: status,
  participant: status,
  otherMetropolis: status,
  moderator: status,
  admin: status,
  disabled: status,
});
/** Any enabled account. */
const signedIn = (status: number): Record<Actor, number> => ({ ...everyone(status), anonymous: 401, disabled: 401 });
const moderators = (status: number): Record<Actor, number> => ({ ...signedIn(status), participant: 403, otherMetropolis: 403 });
const admins = (status: number): Record<Actor, number> => ({ ...moderators(status), moderator: 403 });
/** Alice owns the target; Bruno, of another metropolis, does not. */
const ownerOrModerator = (status: number): Record<Actor, number> => ({ ...signedIn(status), otherMetropolis: 403 });

const id = (value: string): Request => ({ params: { id: value } });
const freshEmail = () => `invite-${randomUUID()}@example.org`;
const unsubscribeToken = (fx: Fixtures) => fx.t.app.get(PreferencesService).unsubscribeToken(fx.users.participant.user.id, 'digest');

/** A valid reset link of a participant who is none of the actors (the link's e-mail is not needed to use it). */
async function resetToken(fx: Fixtures): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await fx.t.dataSource.getRepository(PasswordReset).insert({
    id: randomUUID(),
    userId: await fx.someone(),
    tokenHash: createHash('sha256').update(token).digest('hex'),
    expiresAt: new Date(Date.now() + 3_600_000),
    usedAt: null,
  });
  return token;
}

export const MATRIX: Record<string, MatrixRow> = {
  'GET /api/health': { target: 'none', request: () => ({}), expected: everyone(200) },
  'GET /api/metropolises': { target: 'none', request: () => ({}), expected: everyone(200) },
  'POST /api/auth/login': { target: "Alice's credentials", request: (fx) => ({ body: fx.credentials() }), expected: everyone(200) },
  'POST /api/auth/register': {
    target: 'a fresh invitation code and its address',
    request: async (fx) => {
      const email = freshEmail();
      return { body: { email, password: 'un mot de passe assez long', displayName: 'Nouvelle', invitationCode: await fx.invitationCode(email) } };
    },
    expected: everyone(201),
  },
  'GET /api/auth/me': { target: 'the caller', request: () => ({}), expected: signedIn(200) },
  'PUT /api/me/password': {
    target: "the caller's own password (the same one again)",
    request: () => ({ body: { currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD } }),
    expected: signedIn(200),
    afterwards: (fx, actor) => fx.reissueToken(actor),
  },

  'GET /api/users': { target: 'none', request: () => ({}), expected: moderators(200) },
  'PATCH /api/users/{id}': {
    target: 'another participant',
    request: async (fx) => ({ ...id(await fx.someone()), body: { role: 'moderator' } }),
    expected: admins(200),
  },
  'POST /api/invitations': { target: 'a fresh address', request: () => ({ body: { email: freshEmail() } }), expected: moderators(201) },
  'GET /api/audit': { target: 'none', request: () => ({}), expected: moderators(200) },
  'PATCH /api/me': { target: "the caller's own display name", request: () => ({ body: { displayName: 'Nom choisi' } }), expected: signedIn(200) },
  'GET /api/users/directory': { target: 'none', request: () => ({ query: { q: 'a' } }), expected: signedIn(200) },
  'GET /api/users/handles/{handle}': {
    target: "Bruno's handle",
    request: (fx) => ({ params: { handle: fx.users.otherMetropolis.user.handle } }),
    expected: signedIn(200),
  },
  'GET /api/me/whats-new': { target: "the caller's own", request: () => ({}), expected: signedIn(200) },
  'GET /api/notifications': { target: "the caller's own", request: () => ({}), expected: signedIn(200) },
  'GET /api/notifications/count': { target: "the caller's own", request: () => ({}), expected: signedIn(200) },
  'POST /api/notifications/read': { target: "the caller's own", request: () => ({ body: { all: true } }), expected: signedIn(200) },
  'POST /api/read-all': { target: "the caller's own read markers", request: () => ({}), expected: signedIn(204) },
  'POST /api/topics/{id}/read': { target: 'a seeded theme', request: (fx) => id(fx.topicId), expected: signedIn(204) },
  'PUT /api/threads/{id}/read': {
    target: "Alice's thread, the caller's marker",
    request: async (fx) => ({ ...id((await fx.thread()).threadId), body: { seq: 1 } }),
    expected: signedIn(200),
  },
  'PUT /api/threads/{id}/watch': {
    target: "Alice's thread, the caller's level",
    request: async (fx) => ({ ...id((await fx.thread()).threadId), body: { level: 'muted' } }),
    expected: signedIn(200),
  },

  'GET /api/topics': { target: 'none', request: () => ({}), expected: signedIn(200) },
  'POST /api/topics': { target: 'a new title', request: () => ({ body: { title: `Thème ${randomUUID()}` } }), expected: moderators(201) },
  'PATCH /api/topics/{id}': {
    target: "a moderator's topic",
    request: async (fx) => ({ ...id(await fx.topic()), body: { description: 'Nouvelle description' } }),
    expected: moderators(200),
  },
  'GET /api/topics/{id}/threads': { target: 'a seeded theme', request: (fx) => id(fx.topicId), expected: signedIn(200) },
  'POST /api/topics/{id}/threads': {
    target: 'a seeded theme',
    request: (fx) => ({ ...id(fx.topicId), body: { title: `Fil ${randomUUID()}`, body: 'Bonjour' } }),
    expected: signedIn(201),
  },

  'GET /api/threads/{id}': { target: "Alice's thread", request: async (fx) => id((await fx.thread()).threadId), expected: signedIn(200) },
  'PATCH /api/threads/{id}': {
    target: "Alice's thread",
    request: async (fx) => ({ ...id((await fx.thread()).threadId), body: { pinned: true } }),
    expected: moderators(200),
  },
  'GET /api/threads/{id}/export': { target: "Alice's thread", request: async (fx) => id((await fx.thread()).threadId), expected: signedIn(200) },
  'POST /api/threads/{id}/posts': {
    target: "Alice's thread",
    request: async (fx) => ({ ...id((await fx.thread()).threadId), body: { body: 'Une réponse' } }),
    expected: signedIn(201),
  },
  'PATCH /api/posts/{id}': {
    target: "Alice's post",
    request: async (fx) => ({ ...id((await fx.thread()).postId), body: { body: 'Corrigé' } }),
    expected: ownerOrModerator(200),
  },
  'DELETE /api/posts/{id}': { target: "Alice's post", request: async (fx) => id((await fx.thread()).postId), expected: ownerOrModerator(200) },
  'POST /api/posts/{id}/hide': { target: "Alice's post", request: async (fx) => id((await fx.thread()).postId), expected: moderators(200) },
  'POST /api/posts/{id}/unhide': { target: "Alice's post", request: async (fx) => id((await fx.thread()).postId), expected: moderators(200) },
  'POST /api/posts/{id}/flags': {
    target: "a moderator's post",
    request: async (fx) => ({ ...id((await fx.thread('moderator')).postId), body: { reason: 'Hors sujet' } }),
    expected: signedIn(201),
  },

  'GET /api/moderation/queue': { target: 'none', request: () => ({}), expected: moderators(200) },
  'POST /api/attachments': {
    target: 'a PDF of the caller',
    request: () => ({ file: { name: 'grille.pdf', bytes: minimalPdf() } }),
    expected: signedIn(201),
  },
  'GET /api/attachments/{id}': { target: "a PDF on Alice's post", request: async (fx) => id(await fx.attachedUpload()), expected: signedIn(200) },
  'GET /api/attachments/{id}/preview': {
    target: "a PDF on Alice's post (no preview: only images have one)",
    request: async (fx) => id(await fx.attachedUpload()),
    expected: signedIn(404),
  },
  'DELETE /api/attachments/{id}': {
    target: "Alice's upload, attached to nothing",
    request: async (fx) => id(await fx.upload()),
    expected: ownerOrModerator(204),
  },
  'GET /api/moderation/count': { target: 'none', request: () => ({}), expected: moderators(200) },
  'POST /api/moderation/queue/{id}/resolve': {
    target: "Alice's post, reported by Bruno",
    request: async (fx) => ({ ...id(await fx.flaggedPost()), body: { action: 'dismiss' } }),
    expected: moderators(200),
  },

  'GET /api/practices': { target: 'none', request: () => ({}), expected: signedIn(200) },
  'GET /api/practices/grid': { target: 'none', request: () => ({}), expected: signedIn(200) },
  'GET /api/practices/export': { target: 'none', request: () => ({ query: { format: 'csv' } }), expected: signedIn(200) },
  'GET /api/practices/{id}': { target: "Alice's practice", request: async (fx) => id(await fx.practice()), expected: signedIn(200) },
  'POST /api/practices': {
    target: "the caller's metropolis; moderators, who have none, name Lyon",
    request: async (fx, actor) => ({
      body: {
        title: `Pratique ${randomUUID()}`,
        summary: 'Résumé',
        description: 'Description',
        stage: 'idea',
        ...(actor === 'moderator' || actor === 'admin' ? { metropolisId: (await fx.t.metropolis('metropole-de-lyon')).id } : {}),
      },
    }),
    expected: signedIn(201),
  },
  'PATCH /api/practices/{id}': {
    target: "Alice's practice (Nantes)",
    request: async (fx) => ({ ...id(await fx.practice()), body: { summary: 'Nouveau résumé' } }),
    expected: ownerOrModerator(200),
  },

  'GET /api/sessions': { target: 'none', request: () => ({}), expected: signedIn(200) },
  'POST /api/sessions': {
    target: 'a new session',
    request: () => ({ body: { title: 'Séance', startsAt: new Date(Date.now() + 86_400_000).toISOString(), agenda: [] } }),
    expected: moderators(201),
  },
  'GET /api/sessions/{id}': { target: 'a scheduled session', request: async (fx) => id(await fx.session()), expected: signedIn(200) },
  'PATCH /api/sessions/{id}': {
    target: 'a scheduled session',
    request: async (fx) => ({ ...id(await fx.session()), body: { location: 'Lyon' } }),
    expected: moderators(200),
  },
  'GET /api/sessions/{id}/attendance': { target: 'a scheduled session', request: async (fx) => id(await fx.session()), expected: signedIn(200) },
  'POST /api/sessions/{id}/join': { target: 'a scheduled session', request: async (fx) => id(await fx.session()), expected: signedIn(200) },
  'DELETE /api/sessions/{id}/join': { target: 'a scheduled session', request: async (fx) => id(await fx.session()), expected: signedIn(200) },
  'POST /api/sessions/{id}/start': { target: 'a scheduled session', request: async (fx) => id(await fx.session()), expected: moderators(200) },
  'POST /api/sessions/{id}/advance': { target: 'a live session', request: async (fx) => id(await fx.session('live')), expected: moderators(200) },
  'POST /api/sessions/{id}/close': { target: 'a live session', request: async (fx) => id(await fx.session('live')), expected: moderators(200) },
  'GET /api/sessions/{id}/minutes': { target: 'a scheduled session', request: async (fx) => id(await fx.session()), expected: signedIn(200) },
  'GET /api/sessions/{id}/minutes/html': { target: 'a scheduled session', request: async (fx) => id(await fx.session()), expected: signedIn(200) },
  'POST /api/sessions/{id}/back': {
    target: 'a live session on its second item',
    request: async (fx) => id(await fx.session('second-item')),
    expected: moderators(200),
  },
  'PATCH /api/sessions/{id}/agenda/{itemId}': {
    target: "a live session's first item",
    request: async (fx) => {
      const session = await fx.sessionWithAgenda('live');
      return { params: { id: session.id, itemId: session.itemIds[0] }, body: { decisions: 'Une note commune.' } };
    },
    expected: moderators(200),
  },
  'GET /api/sessions/{id}/polls': { target: 'a live session', request: async (fx) => id(await fx.session('live')), expected: signedIn(200) },
  'POST /api/sessions/{id}/polls': {
    target: 'a live session',
    request: async (fx) => ({ ...id(await fx.session('live')), body: { question: 'Pour ?', options: ['Oui', 'Non'] } }),
    expected: moderators(201),
  },
  'GET /api/polls/{id}': { target: 'an open poll', request: async (fx) => id(await fx.poll()), expected: signedIn(200) },
  'POST /api/polls/{id}/vote': {
    target: 'an open poll',
    request: async (fx) => ({ ...id(await fx.poll()), body: { optionIndex: 1 } }),
    expected: signedIn(200),
  },
  'POST /api/polls/{id}/close': { target: 'an open poll', request: async (fx) => id(await fx.poll()), expected: moderators(200) },

  'GET /api/me/preferences': { target: "the caller's own", request: () => ({}), expected: signedIn(200) },
  'PATCH /api/me/preferences': { target: "the caller's own", request: () => ({ body: { digest: 'weekly' } }), expected: signedIn(200) },
  'GET /api/unsubscribe': {
    target: "Alice's signed digest link",
    request: (fx) => ({ query: { token: unsubscribeToken(fx) } }),
    expected: everyone(200),
  },
  'POST /api/unsubscribe': {
    target: "Alice's signed digest link",
    request: (fx) => ({ query: { token: unsubscribeToken(fx) } }),
    expected: everyone(200),
  },
  'POST /api/admin/digests/run': { target: 'every digest due', request: () => ({ body: {} }), expected: admins(200) },
  'GET /api/sessions/{id}/calendar.ics': { target: 'a scheduled session', request: async (fx) => id(await fx.session()), expected: signedIn(200) },
  'GET /api/me/calendar': { target: "the caller's own feed", request: () => ({}), expected: signedIn(200) },
  'POST /api/me/calendar/reset': { target: "the caller's own feed", request: () => ({}), expected: signedIn(200) },
  'GET /api/calendar/{token}.ics': {
    target: "Alice's secret feed",
    request: async (fx) => {
      const { body } = await fx.t.http().get('/api/me/calendar').set('Authorization', fx.users.participant.auth).expect(200);
      return { params: { token: /\/api\/calendar\/(.+)\.ics$/.exec((body as { url: string }).url)![1] } };
    },
    expected: everyone(200),
  },
  'POST /api/auth/password-reset': {
    target: "Alice's address",
    request: (fx) => ({ body: { email: fx.users.participant.user.email } }),
    expected: everyone(202),
  },
  'POST /api/auth/password-reset/confirm': {
    target: 'a fresh reset link of another participant',
    request: async (fx) => ({ body: { token: await resetToken(fx), password: 'un nouveau mot de passe' } }),
    expected: everyone(200),
  },
  'GET /api/search': { target: 'none', request: () => ({ query: { q: 'nantes' } }), expected: signedIn(200) },
};
