import type { LiveNotification } from '../../src/live/live-events';
import type { TestApp, TestUser } from './test-app';

/** Opens a thread in a topic over HTTP; answers its id and its first post's. */
export async function openThread(
  t: TestApp,
  author: TestUser,
  topicId: string,
  { title = 'Un fil', body = 'Premier message' }: { title?: string; body?: string } = {},
): Promise<{ threadId: string; postId: string }> {
  const { body: created } = await t.http().post(`/api/topics/${topicId}/threads`).set('Authorization', author.auth).send({ title, body }).expect(201);
  return { threadId: created.thread.id as string, postId: created.post.id as string };
}

/** The person's notifications, newest first (the first page). */
export async function notificationsOf(t: TestApp, user: TestUser, query = ''): Promise<LiveNotification[]> {
  return (await t.http().get(`/api/notifications${query}`).set('Authorization', user.auth).expect(200)).body as LiveNotification[];
}
