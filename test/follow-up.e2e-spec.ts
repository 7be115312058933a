import { IsNull } from 'typeorm';
import { Notification } from '../src/notifications/notification.entity';
import type { LiveNotification } from '../src/live/live-events';
import { notificationsOf as notificationsOfUser, openThread } from './support/follow-up';
import { createTestApp, discussionCast, TestApp, TestUser } from './support/test-app';

/** Read state, @mentions and watch levels over HTTP (issue 11). */
describe('follow-up: read state, mentions, watch levels', () => {
  let t: TestApp;
  let alice: TestUser;
  let bruno: TestUser;
  let moderator: TestUser;
  let topicId: string;

  beforeAll(async () => {
    t = await createTestApp();
    ({ alice, bruno, moderator, topicId } = await discussionCast(t));
  });
  afterAll(() => t.close());

  const newThread = (author: TestUser, body = 'Premier message', topic = topicId) => openThread(t, author, topic, { body });

  async function post(author: TestUser, threadId: string, body: string, parentId?: string): Promise<{ id: string; seq: number }> {
    const { body: created } = await t
      .http()
      .post(`/api/threads/${threadId}/posts`)
      .set('Authorization', author.auth)
      .send({ body, parentId })
      .expect(201);
    return created as { id: string; seq: number };
  }

  async function threadPage(reader: TestUser, threadId: string) {
    return (await t.http().get(`/api/threads/${threadId}`).set('Authorization', reader.auth).expect(200)).body.thread as {
      lastReadSeq: number;
      unreadCount: number;
      watchLevel: string;
      postCount: number;
    };
  }

  const notificationsOf = (user: TestUser) => notificationsOfUser(t, user);

  const aboutThread = (list: LiveNotification[], threadId: string) => list.filter((notification) => notification.threadId === threadId);

  async function markRead(reader: TestUser, threadId: string, seq: number): Promise<number> {
    const { body } = await t.http().put(`/api/threads/${threadId}/read`).set('Authorization', reader.auth).send({ seq }).expect(200);
    return body.lastReadSeq as number;
  }

  async function topicUnread(reader: TestUser, topic = topicId): Promise<number> {
    const { body } = await t.http().get('/api/topics').set('Authorization', reader.auth).expect(200);
    return (body as Array<{ id: string; unreadCount: number }>).find((each) => each.id === topic)!.unreadCount;
  }

  describe('read state', () => {
    it('moves the marker only forward, clamps it to the last post, and counts only the posts of others', async () => {
      const { threadId } = await newThread(alice);
      await post(alice, threadId, 'Deux');
      await post(alice, threadId, 'Trois');
      await post(bruno, threadId, 'Quatre, de Bruno');

      // Alice wrote three of the four posts, and read the thread up to her last: only Bruno's counts for her
      expect(await threadPage(alice, threadId)).toMatchObject({ lastReadSeq: 3, unreadCount: 1 });
      expect(await threadPage(moderator, threadId)).toMatchObject({ lastReadSeq: 0, unreadCount: 4 });

      expect(await markRead(moderator, threadId, 2)).toBe(2);
      expect(await threadPage(moderator, threadId)).toMatchObject({ lastReadSeq: 2, unreadCount: 2 });
      expect(await markRead(moderator, threadId, 1)).toBe(2);
      expect(await markRead(moderator, threadId, 999)).toBe(4);
      expect(await threadPage(moderator, threadId)).toMatchObject({ lastReadSeq: 4, unreadCount: 0 });
    });

    it('a post’s author has read the thread up to their post: the posts above it and their notifications', async () => {
      const { threadId } = await newThread(alice);
      const question = await post(bruno, threadId, 'Une question pour @alice');
      await post(bruno, threadId, 'Et une précision');
      const unreadSeqs = async () =>
        aboutThread(await notificationsOf(alice), threadId)
          .filter((n) => n.readAt === null)
          .map((n) => n.seq)
          .sort();
      expect(await threadPage(alice, threadId)).toMatchObject({ lastReadSeq: 1, unreadCount: 2 });
      expect(await unreadSeqs()).toEqual([2, 3]);

      const answer = await post(alice, threadId, 'Ma réponse', question.id);
      expect(await threadPage(alice, threadId)).toMatchObject({ lastReadSeq: answer.seq, unreadCount: 0 });
      expect(await unreadSeqs()).toEqual([]);
      expect(aboutThread(await notificationsOf(alice), threadId)).toHaveLength(2); // read, not deleted

      // what comes after her post is news again, and a watcher whose notification was read is told again
      await post(bruno, threadId, 'Merci');
      expect(await threadPage(alice, threadId)).toMatchObject({ lastReadSeq: answer.seq, unreadCount: 1 });
      expect(await unreadSeqs()).toEqual([5]);
      // and Bruno, who wrote below Alice’s answer, has read it
      expect(await threadPage(bruno, threadId)).toMatchObject({ lastReadSeq: 5, unreadCount: 0 });
    });

    it('gives the reader’s fields in the topic’s thread list, and an ETag of the thread page that follows them', async () => {
      const { threadId } = await newThread(alice);
      const listed = async () => {
        const { body } = await t.http().get(`/api/topics/${topicId}/threads`).set('Authorization', bruno.auth).expect(200);
        return (body as Array<{ id: string; lastReadSeq: number; unreadCount: number }>).find((thread) => thread.id === threadId);
      };
      expect(await listed()).toMatchObject({ lastReadSeq: 0, unreadCount: 1 });
      const first = await t.http().get(`/api/threads/${threadId}`).set('Authorization', bruno.auth).expect(200);
      await markRead(bruno, threadId, 1);
      expect(await listed()).toMatchObject({ lastReadSeq: 1, unreadCount: 0 });
      // the page Bruno held said « 1 unread »: it is no longer current
      await t.http().get(`/api/threads/${threadId}`).set('Authorization', bruno.auth).set('If-None-Match', first.headers.etag).expect(200);
    });

    it('does not count deleted or hidden posts, and answers 404 and 400 for an unknown thread or a bad seq', async () => {
      const { threadId } = await newThread(alice);
      const deleted = await post(alice, threadId, 'Effacé');
      const hidden = await post(alice, threadId, 'Masqué');
      await t.http().delete(`/api/posts/${deleted.id}`).set('Authorization', alice.auth).expect(200);
      await t.http().post(`/api/posts/${hidden.id}/hide`).set('Authorization', moderator.auth).expect(200);
      expect(await threadPage(bruno, threadId)).toMatchObject({ unreadCount: 1 });

      await t.http().put('/api/threads/00000000-0000-4000-8000-000000000000/read').set('Authorization', bruno.auth).send({ seq: 1 }).expect(404);
      for (const seq of [-1, 1.5, 'deux', null]) {
        const refused = await t.http().put(`/api/threads/${threadId}/read`).set('Authorization', bruno.auth).send({ seq }).expect(400);
        expect(JSON.stringify(refused.body.message)).toContain('seq');
      }
      await t.http().put(`/api/threads/${threadId}/read`).set('Authorization', bruno.auth).send({ seq: 1, extra: true }).expect(400);
      await t.http().put(`/api/threads/${threadId}/read`).send({ seq: 1 }).expect(401);
    });

    it('keeps each reader’s topic counts current through every change that moves them', async () => {
      const dora = await t.createUser({ displayName: 'Dora Comptes' });
      const before = await topicUnread(dora);
      const { threadId } = await newThread(alice);
      expect(await topicUnread(dora)).toBe(before + 1);
      const reply = await post(bruno, threadId, 'Une réponse');
      const other = await post(bruno, threadId, 'Une autre');
      expect(await topicUnread(dora)).toBe(before + 3);
      // the same again, from what is kept: nothing changed
      expect(await topicUnread(dora)).toBe(before + 3);
      await t.http().post(`/api/posts/${reply.id}/hide`).set('Authorization', moderator.auth).expect(200);
      expect(await topicUnread(dora)).toBe(before + 2);
      await t.http().delete(`/api/posts/${other.id}`).set('Authorization', bruno.auth).expect(200);
      expect(await topicUnread(dora)).toBe(before + 1);
      // another reader's marker leaves Dora's counts alone; hers moves them
      await markRead(bruno, threadId, 3);
      expect(await topicUnread(dora)).toBe(before + 1);
      await markRead(dora, threadId, 1);
      expect(await topicUnread(dora)).toBe(before);
      await t.http().post(`/api/topics/${topicId}/read`).set('Authorization', dora.auth).expect(204);
      expect(await topicUnread(dora)).toBe(0);
    });

    it('starts a newcomer with everything already posted read, and counts what comes after', async () => {
      const { threadId } = await newThread(alice);
      await post(bruno, threadId, 'Avant l’arrivée de Carole');
      const carole = await t.createUser({ displayName: 'Carole Nouvelle' });
      expect(await threadPage(carole, threadId)).toMatchObject({ lastReadSeq: 2, unreadCount: 0 });
      expect(await topicUnread(carole)).toBe(0);
      await post(bruno, threadId, 'Après');
      const { threadId: later } = await newThread(alice);
      expect(await threadPage(carole, threadId)).toMatchObject({ lastReadSeq: 2, unreadCount: 1 });
      expect(await threadPage(carole, later)).toMatchObject({ lastReadSeq: 0, unreadCount: 1 });
      expect(await topicUnread(carole)).toBe(2);
    });

    it('marks a topic read, then everything, deleting no post and no notification', async () => {
      const topics = (await t.http().get('/api/topics').set('Authorization', alice.auth).expect(200)).body as Array<{ id: string }>;
      const [first, second] = [topics[1].id, topics[2].id];
      const dora = await t.createUser({ displayName: 'Dora Lecture' });
      const { threadId: inFirst } = await newThread(alice, 'Bonjour @dora.lecture', first);
      const { threadId: inSecond } = await newThread(alice, 'Autre thème', second);
      expect(await topicUnread(dora, first)).toBe(1);
      expect(await topicUnread(dora, second)).toBe(1);

      await t.http().post(`/api/topics/${first}/read`).set('Authorization', dora.auth).expect(204);
      expect(await topicUnread(dora, first)).toBe(0);
      expect(await topicUnread(dora, second)).toBe(1);
      await t.http().post('/api/read-all').set('Authorization', dora.auth).expect(204);
      expect(await topicUnread(dora, second)).toBe(0);
      expect(await threadPage(dora, inSecond)).toMatchObject({ lastReadSeq: 1, unreadCount: 0, postCount: 1 });
      expect((await t.http().get(`/api/threads/${inFirst}`).set('Authorization', dora.auth).expect(200)).body.posts).toHaveLength(1);
      expect(aboutThread(await notificationsOf(dora), inFirst)).toHaveLength(1);
      await t.http().post('/api/topics/00000000-0000-4000-8000-000000000000/read').set('Authorization', dora.auth).expect(404);
    });

    it('reading a thread reads the notifications about the posts read, and only those', async () => {
      const { threadId } = await newThread(alice);
      const replied = await post(bruno, threadId, 'Bruno répond');
      await post(alice, threadId, 'Réponse à Bruno', replied.id);
      await post(alice, threadId, 'Encore une, @bruno');
      const unread = async () => aboutThread(await notificationsOf(bruno), threadId).filter((n) => n.readAt === null);
      expect((await unread()).map((n) => n.seq).sort()).toEqual([3, 4]);
      await markRead(bruno, threadId, 3);
      expect((await unread()).map((n) => n.seq)).toEqual([4]);
    });
  });

  describe('@mentions', () => {
    it('notifies the person mentioned by handle, with the post’s excerpt, and not for a handle in code', async () => {
      const emma = await t.createUser({ displayName: 'Emma Mention' });
      expect(emma.user.handle).toBe('emma.mention');
      const { threadId, postId } = await newThread(alice, 'Bonjour **@Emma.Mention** !');
      const [notification] = aboutThread(await notificationsOf(emma), threadId);
      expect(notification).toMatchObject({
        kind: 'mention',
        postId,
        seq: 1,
        actor: { id: alice.user.id, displayName: 'Alice' },
        title: 'Un fil',
        excerpt: 'Bonjour @Emma.Mention !',
      });

      // the cooked HTML links the person, and nobody unknown
      const page = await t.http().get(`/api/threads/${threadId}`).set('Authorization', emma.auth).expect(200);
      expect(page.body.posts[0].bodyHtml).toContain('<a class="mention" href="/#/people/emma.mention">@emma.mention</a>');

      const { threadId: coded } = await newThread(alice, 'Écrire `@emma.mention` ou\n\n```\n@emma.mention\n```');
      expect(aboutThread(await notificationsOf(emma), coded)).toEqual([]);
    });

    it('never notifies a disabled account, nor the author mentioning themself', async () => {
      const admin = await t.createUser({ role: 'admin' });
      const gone = await t.createUser({ displayName: 'Fabien Parti' });
      await t.http().patch(`/api/users/${gone.user.id}`).set('Authorization', admin.auth).send({ disabled: true }).expect(200);
      const { threadId } = await newThread(alice, 'Merci @fabien.parti et moi-même @alice');
      expect(await t.dataSource.getRepository(Notification).findBy({ threadId })).toEqual([]);
    });

    it('on an edit notifies only the people newly mentioned, and nobody while the post is hidden', async () => {
      const gaelle = await t.createUser({ displayName: 'Gaëlle Édition' });
      const henri = await t.createUser({ displayName: 'Henri Édition' });
      expect([gaelle.user.handle, henri.user.handle]).toEqual(['gaelle.edition', 'henri.edition']);
      const { threadId, postId } = await newThread(alice, 'Pour @gaelle.edition');
      await t
        .http()
        .patch(`/api/posts/${postId}`)
        .set('Authorization', alice.auth)
        .send({ body: 'Pour @gaelle.edition et @henri.edition' })
        .expect(200);
      expect(aboutThread(await notificationsOf(gaelle), threadId)).toHaveLength(1);
      expect(aboutThread(await notificationsOf(henri), threadId)).toMatchObject([{ kind: 'mention', postId }]);

      const isabelle = await t.createUser({ displayName: 'Isabelle Cachée' });
      await t.http().post(`/api/posts/${postId}/hide`).set('Authorization', moderator.auth).expect(200);
      await t.http().patch(`/api/posts/${postId}`).set('Authorization', alice.auth).send({ body: 'Et @isabelle.cachee' }).expect(200);
      expect(aboutThread(await notificationsOf(isabelle), threadId)).toEqual([]);
      // a notification about a post hidden since keeps no excerpt for those who may not read it
      expect(aboutThread(await notificationsOf(henri), threadId)[0].excerpt).toBe('');
    });
  });

  describe('watch levels', () => {
    it('the thread’s author and anyone who posts in it watch it and hear every post; others only replies and mentions', async () => {
      const [julie, karim, lea] = [
        await t.createUser({ displayName: 'Julie Veille' }),
        await t.createUser({ displayName: 'Karim Veille' }),
        await t.createUser({ displayName: 'Léa Veille' }),
      ];
      const { threadId } = await newThread(julie);
      expect(await threadPage(julie, threadId)).toMatchObject({ watchLevel: 'watching' });
      expect(await threadPage(karim, threadId)).toMatchObject({ watchLevel: 'normal' });
      const fromKarim = await post(karim, threadId, 'Karim participe');
      await post(lea, threadId, 'Réponse à Karim', fromKarim.id);
      await post(lea, threadId, 'Un mot de plus');
      await post(lea, threadId, 'Pour @julie.veille');

      const kinds = async (user: TestUser) =>
        aboutThread(await notificationsOf(user), threadId)
          .map((n) => `${n.kind}:${n.seq}:${n.count}`)
          .sort();
      // Julie (author) hears everything: one `watched` stands for the posts since the first she has not read (2 to 5),
      // the mention apart; Karim (posted) everything after his post, the reply to him as a reply
      expect(await kinds(julie)).toEqual(['mention:5:1', 'watched:2:4']);
      expect(await kinds(karim)).toEqual(['reply:3:1', 'watched:4:2']);
      expect(await kinds(lea)).toEqual([]);
    });

    it('a watcher is told again of a thread once they read its notification, whichever way they read it', async () => {
      const [olga, paul] = [await t.createUser({ displayName: 'Olga Retour' }), await t.createUser({ displayName: 'Paul Retour' })];
      const { threadId } = await newThread(olga);
      const watchedOf = async (user: TestUser) =>
        aboutThread(await notificationsOf(user), threadId)
          .filter((n) => n.kind === 'watched')
          .map((n) => ({ seq: n.seq, count: n.count, read: n.readAt !== null }));
      const readNotifications = (user: TestUser, body: object) =>
        t.http().post('/api/notifications/read').set('Authorization', user.auth).send(body).expect(200);

      await post(paul, threadId, 'Deux');
      await post(paul, threadId, 'Trois');
      expect(await watchedOf(olga)).toEqual([{ seq: 2, count: 2, read: false }]);

      // reading the thread reads the notification: the next post tells her again, and the read one keeps its count
      await markRead(olga, threadId, 3);
      await post(paul, threadId, 'Quatre');
      expect(await watchedOf(olga)).toEqual([
        { seq: 4, count: 1, read: false },
        { seq: 2, count: 2, read: true },
      ]);

      // marking it read by its id, then everything read, do the same
      const [unread] = (await notificationsOf(olga)).filter((n) => n.threadId === threadId && n.readAt === null);
      await readNotifications(olga, { ids: [unread.id] });
      await post(paul, threadId, 'Cinq');
      await readNotifications(olga, { all: true });
      await post(paul, threadId, 'Six');
      expect((await watchedOf(olga)).map((n) => `${n.seq}:${n.count}:${n.read}`)).toEqual(['6:1:false', '5:1:true', '4:1:true', '2:2:true']);

      // a notification that goes (here straight from the table) no longer stands for the thread either
      await t.dataSource.getRepository(Notification).delete({ userId: olga.user.id, readAt: IsNull() });
      await post(paul, threadId, 'Sept');
      expect((await watchedOf(olga))[0]).toEqual({ seq: 7, count: 1, read: false });
    });

    it('normal: mentions and direct replies only; muted: mentions only; and the level is refused when unknown', async () => {
      const [mona, nils] = [await t.createUser({ displayName: 'Mona Niveau' }), await t.createUser({ displayName: 'Nils Niveau' })];
      const { threadId, postId } = await newThread(mona);
      const ownPost = await post(nils, threadId, 'Nils écrit');
      await t.http().put(`/api/threads/${threadId}/watch`).set('Authorization', mona.auth).send({ level: 'normal' }).expect(200, { level: 'normal' });
      await t.http().put(`/api/threads/${threadId}/watch`).set('Authorization', nils.auth).send({ level: 'muted' }).expect(200, { level: 'muted' });
      expect(await threadPage(nils, threadId)).toMatchObject({ watchLevel: 'muted' });

      await post(alice, threadId, 'Un message ordinaire');
      await post(alice, threadId, 'Réponse à Mona', postId);
      await post(alice, threadId, 'Réponse à Nils', ownPost.id);
      await post(alice, threadId, 'Pour @mona.niveau et @nils.niveau');

      const kinds = async (user: TestUser) =>
        aboutThread(await notificationsOf(user), threadId)
          .map((n) => `${n.kind}:${n.seq}`)
          .sort();
      expect(await kinds(mona)).toEqual(['mention:6', 'reply:4', 'watched:2']);
      expect(await kinds(nils)).toEqual(['mention:6']);

      // posting again keeps the level the person chose
      await post(nils, threadId, 'Toujours en sourdine');
      expect(await threadPage(nils, threadId)).toMatchObject({ watchLevel: 'muted' });

      const refused = await t.http().put(`/api/threads/${threadId}/watch`).set('Authorization', mona.auth).send({ level: 'loud' }).expect(400);
      expect(JSON.stringify(refused.body.message)).toContain('level');
      await t
        .http()
        .put('/api/threads/00000000-0000-4000-8000-000000000000/watch')
        .set('Authorization', mona.auth)
        .send({ level: 'muted' })
        .expect(404);
    });
  });
});
