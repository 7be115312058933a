import { Database } from '../src/database/database.service';
import { NotificationsService } from '../src/notifications/notifications.service';
import { notificationsOf, openThread } from './support/follow-up';
import { createTestApp, discussionCast, TestApp, TestUser } from './support/test-app';
import { closeAllClients, connect, nextEvent } from './live/live-client';

describe('notifications (NotificationsService.notify, the inbox routes, notification:created)', () => {
  let t: TestApp;
  let alice: TestUser;
  let bruno: TestUser;
  let topicId: string;

  beforeAll(async () => {
    t = await createTestApp();
    ({ alice, bruno, topicId } = await discussionCast(t));
  });
  afterEach(() => closeAllClients());
  afterAll(() => t.close());

  const newThread = (author: TestUser, title = 'Un fil') => openThread(t, author, topicId, { title, body: 'Premier **message**' });

  const notify = (recipientIds: string[], data: Parameters<NotificationsService['notify']>[2]) =>
    t.app.get(Database).write((manager) => t.app.get(NotificationsService).notify(manager, recipientIds, data));

  const inbox = (user: TestUser, query = '') => notificationsOf(t, user, query);

  it('stores one row per person, never for the actor nor a disabled account, and announces it to every socket of the person', async () => {
    const { threadId, postId } = await newThread(alice, 'Notifié');
    const carole = await t.createUser({ displayName: 'Carole' });
    await t
      .http()
      .patch(`/api/users/${carole.user.id}`)
      .set('Authorization', (await t.createUser({ role: 'admin' })).auth)
      .send({ disabled: true })
      .expect(200);
    const [first, second] = [await connect(t.url, bruno.token), await connect(t.url, bruno.token)];
    const heard = [nextEvent(first, 'notification:created'), nextEvent(second, 'notification:created')];

    const notified = await notify([bruno.user.id, alice.user.id, carole.user.id, bruno.user.id], {
      kind: 'mention',
      actorId: alice.user.id,
      threadId,
      postId,
      seq: 1,
    });

    expect(notified.map((each) => each.userId)).toEqual([bruno.user.id]);
    const [one, two] = await Promise.all(heard);
    expect(one).toEqual(two);
    expect(one).toMatchObject({
      kind: 'mention',
      readAt: null,
      actor: { id: alice.user.id, displayName: 'Alice' },
      threadId,
      postId,
      seq: 1,
      title: 'Notifié',
      excerpt: 'Premier message',
      count: 1,
    });
    const [stored] = await inbox(bruno);
    expect(stored).toEqual(one);
    expect(await inbox(alice)).toEqual([]);
  });

  it('counts, lists unread ones, pages newest first, and marks read by ids or all without deleting anything', async () => {
    const dora = await t.createUser({ displayName: 'Dora' });
    const { threadId } = await newThread(alice);
    for (let index = 0; index < 3; index += 1) await notify([dora.user.id], { kind: 'watched', actorId: alice.user.id, threadId, seq: 1 });
    const count = async () => (await t.http().get('/api/notifications/count').set('Authorization', dora.auth).expect(200)).body.unread as number;
    expect(await count()).toBe(3);

    const firstPage = await t.http().get('/api/notifications?limit=2').set('Authorization', dora.auth).expect(200);
    expect(firstPage.body).toHaveLength(2);
    const next = /<([^>]+)>; rel="next"/.exec(firstPage.headers.link)![1];
    const secondPage = await t
      .http()
      .get(new URL(next).pathname + new URL(next).search)
      .set('Authorization', dora.auth)
      .expect(200);
    const all = [...firstPage.body, ...secondPage.body] as Array<{ id: string }>;
    expect(all.map((n) => n.id)).toEqual([...all.map((n) => n.id)].sort().reverse());

    const read = await t
      .http()
      .post('/api/notifications/read')
      .set('Authorization', dora.auth)
      .send({ ids: [all[0].id] })
      .expect(200);
    expect(read.body).toEqual({ unread: 2 });
    expect((await inbox(dora, '?unread=true')).map((n) => n.id)).toEqual(all.slice(1).map((n) => n.id));
    await t.http().post('/api/notifications/read').set('Authorization', dora.auth).send({ all: true }).expect(200, { unread: 0 });
    expect(await inbox(dora, '?unread=true')).toEqual([]);
    expect(await inbox(dora)).toHaveLength(3);
  });

  it('refuses a malformed request to mark read, naming the field', async () => {
    const refused = await t
      .http()
      .post('/api/notifications/read')
      .set('Authorization', bruno.auth)
      .send({ ids: ['nope'] })
      .expect(400);
    expect(JSON.stringify(refused.body.message)).toContain('ids');
    await t
      .http()
      .post('/api/notifications/read')
      .set('Authorization', bruno.auth)
      .send({})
      .expect(400, {
        message: ['Envoyez soit ids (les notifications à marquer comme lues), soit all: true.'],
        error: 'Bad Request',
        statusCode: 400,
      });
    await t.http().post('/api/notifications/read').set('Authorization', bruno.auth).send({ all: false }).expect(400);
    await t.http().get('/api/notifications?unread=maybe').set('Authorization', bruno.auth).expect(400);
  });
});
