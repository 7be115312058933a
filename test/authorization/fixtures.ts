import { randomUUID } from 'node:crypto';
import type { TestApp, TestUser } from '../support/test-app';
import { minimalPdf } from '../support/sample-files';
import { TEST_PASSWORD } from '../support/test-app';
import { AuthService } from '../../src/auth/auth.service';
import { User } from '../../src/users/user.entity';

/** The six actors of the matrix: each cell of a row is one of them calling the route. */
export const ACTORS = ['anonymous', 'participant', 'otherMetropolis', 'moderator', 'admin', 'disabled'] as const;
export type Actor = (typeof ACTORS)[number];

/** What a cell sends: the path parameters, the query and the body, built fresh for that cell. */
export interface Request {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  /** A multipart upload in the field `file`, instead of a JSON body. */
  file?: { name: string; bytes: Buffer };
}

/**
 * The world the matrix runs in, and the builders of targets. `participant` (Alice of Nantes) owns what a row calls
 * « own »; `otherMetropolis` (Bruno of Lyon) is another participant, of another metropolis.
 */
export class Fixtures {
  private constructor(
    readonly t: TestApp,
    readonly users: Record<Exclude<Actor, 'anonymous'>, TestUser>,
    readonly topicId: string,
  ) {}

  static async create(t: TestApp): Promise<Fixtures> {
    const disabled = await t.createUser({ metropolis: 'nantes-metropole', displayName: 'Désactivé' });
    // disabled before its first request, so no cache has seen it enabled
    await t.dataSource.getRepository(User).update({ id: disabled.user.id }, { disabled: true });
    const users = {
      participant: await t.createUser({ metropolis: 'nantes-metropole', displayName: 'Alice' }),
      otherMetropolis: await t.createUser({ metropolis: 'metropole-de-lyon', displayName: 'Bruno' }),
      moderator: await t.createUser({ role: 'moderator', displayName: 'Modé' }),
      admin: await t.createUser({ role: 'admin', displayName: 'Admin' }),
      disabled,
    };
    const topics = await t.http().get('/api/topics').set('Authorization', users.participant.auth).expect(200);
    return new Fixtures(t, users, (topics.body as { id: string }[])[0].id);
  }

  /** A fresh token for an actor whose token a cell made stale (the disabled one keeps its stale one). */
  async reissueToken(actor: Actor): Promise<void> {
    if (actor === 'anonymous' || actor === 'disabled') return;
    const user = await this.t.dataSource
      .getRepository(User)
      .findOneOrFail({ where: { id: this.users[actor].user.id }, relations: { metropolis: true } });
    const { accessToken } = this.t.app.get(AuthService).issue(user);
    this.users[actor] = { user, token: accessToken, auth: `Bearer ${accessToken}` };
  }

  /** Authorization header of an actor, or none for the anonymous one. */
  authOf(actor: Actor): string | undefined {
    return actor === 'anonymous' ? undefined : this.users[actor].auth;
  }

  private async call<T>(method: 'get' | 'post' | 'patch', path: string, as: Exclude<Actor, 'anonymous'>, body?: object): Promise<T> {
    const response = await this.t.http()[method](path).set('Authorization', this.users[as].auth).send(body);
    if (response.status >= 300) throw new Error(`fixture ${method.toUpperCase()} ${path} answered ${response.status}: ${response.text}`);
    return response.body as T;
  }

  /** A thread started by `as` (Alice by default) and its first post. */
  async thread(as: Exclude<Actor, 'anonymous'> = 'participant'): Promise<{ threadId: string; postId: string }> {
    const created = await this.call<{ thread: { id: string }; post: { id: string } }>('post', `/api/topics/${this.topicId}/threads`, as, {
      title: `Fil ${randomUUID()}`,
      body: 'Premier message',
    });
    return { threadId: created.thread.id, postId: created.post.id };
  }

  /** A PDF uploaded by `as` (Alice by default), attached to nothing yet. */
  async upload(as: Exclude<Actor, 'anonymous'> = 'participant'): Promise<string> {
    const response = await this.t
      .http()
      .post('/api/attachments')
      .set('Authorization', this.users[as].auth)
      .attach('file', minimalPdf(), 'grille.pdf');
    if (response.status !== 201) throw new Error(`fixture upload answered ${response.status}: ${response.text}`);
    return (response.body as { id: string }).id;
  }

  /** A PDF of Alice's, attached to a post of hers in a thread everybody reads. */
  async attachedUpload(): Promise<string> {
    const attachmentId = await this.upload();
    const { threadId } = await this.thread();
    await this.call('post', `/api/threads/${threadId}/posts`, 'participant', { body: 'Voici la grille', attachmentIds: [attachmentId] });
    return attachmentId;
  }

  /** A post of Alice's, reported by Bruno, so that it waits in the moderation queue. */
  async flaggedPost(): Promise<string> {
    const { postId } = await this.thread();
    await this.call('post', `/api/posts/${postId}/flags`, 'otherMetropolis', { reason: 'Hors sujet' });
    return postId;
  }

  async topic(): Promise<string> {
    return (await this.call<{ id: string }>('post', '/api/topics', 'moderator', { title: `Thème ${randomUUID()}` })).id;
  }

  /** A session of two agenda items, started when `live`. */
  async session(state: 'scheduled' | 'live' = 'scheduled'): Promise<string> {
    const { id } = await this.call<{ id: string }>('post', '/api/sessions', 'moderator', {
      title: `Séance ${randomUUID()}`,
      startsAt: new Date(Date.now() + 86_400_000).toISOString(),
      agenda: [{ title: 'Ouverture' }, { title: 'Échanges' }],
    });
    if (state === 'live') await this.call('post', `/api/sessions/${id}/start`, 'moderator');
    return id;
  }

  /** An open poll of a live session. */
  async poll(): Promise<string> {
    const sessionId = await this.session('live');
    return (await this.call<{ id: string }>('post', `/api/sessions/${sessionId}/polls`, 'moderator', { question: 'Oui ?', options: ['Oui', 'Non'] }))
      .id;
  }

  /** A practice sheet of Alice's (Nantes). */
  async practice(): Promise<string> {
    return (
      await this.call<{ id: string }>('post', '/api/practices', 'participant', {
        title: `Pratique ${randomUUID()}`,
        summary: 'Résumé',
        description: 'Description',
        stage: 'pilot',
      })
    ).id;
  }

  /** A participant who is none of the actors, for the routes that change an account. */
  async someone(): Promise<string> {
    return (await this.t.createUser({ metropolis: 'metropole-de-lyon' })).user.id;
  }

  async invitationCode(email: string): Promise<string> {
    return (await this.call<{ code: string }>('post', '/api/invitations', 'moderator', { email })).code;
  }

  /** Alice's credentials, for the sign-in route. */
  credentials(): { email: string; password: string } {
    return { email: this.users.participant.user.email, password: TEST_PASSWORD };
  }
}
