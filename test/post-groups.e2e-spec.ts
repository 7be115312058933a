import { BadRequestException } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { Notification } from '../src/notifications/notification.entity';
import { Post } from '../src/posts/post.entity';
import { PostsService } from '../src/posts/posts.service';
import { Thread } from '../src/threads/thread.entity';
import { createTestApp, discussionCast, DiscussionCast, TestApp, TestUser } from './support/test-app';

interface PostAnswer {
  id: string;
  seq: number;
  body: string;
  clientKey: string | null;
}

/**
 * Posts to one thread that arrive together share a transaction (one row lock, one commit) on PostgreSQL as on
 * SQLite, and each keeps its own answer, seq, notifications and clientKey. On SQLite by default, on PostgreSQL with
 * TEST_DATABASE_URL (npm run test:postgres).
 */
describe('posts sent together to one thread', () => {
  let t: TestApp;
  let cast: DiscussionCast;
  let writers: TestUser[];

  beforeAll(async () => {
    t = await createTestApp();
    cast = await discussionCast(t);
    writers = [cast.alice, ...(await Promise.all(Array.from({ length: 7 }, (_, i) => t.createUser({ displayName: `Rédacteur ${i}` }))))];
  });
  afterAll(() => t.close());

  /** A thread of Bruno's: its first post is seq 1, and Bruno, its author, watches it. */
  async function brunosThread(): Promise<{ threadId: string; firstPostId: string }> {
    const response = await t
      .http()
      .post(`/api/topics/${cast.topicId}/threads`)
      .set('Authorization', cast.bruno.auth)
      .send({ title: 'Fil très actif', body: 'Ouverture' })
      .expect(201);
    const { thread, post } = response.body as { thread: { id: string }; post: { id: string } };
    return { threadId: thread.id, firstPostId: post.id };
  }

  const send = (threadId: string, by: TestUser, payload: Record<string, unknown>) =>
    t.http().post(`/api/threads/${threadId}/posts`).set('Authorization', by.auth).send(payload);

  const storedPosts = (threadId: string) => t.dataSource.getRepository(Post).find({ where: { threadId }, order: { seq: 'ASC' } });

  /** Counts the commits of explicit transactions (groups and single writes alike) while `run` runs. */
  async function commitsDuring<T>(run: () => Promise<T>): Promise<{ value: T; commits: number }> {
    const runnerPrototype = Object.getPrototypeOf(t.dataSource.createQueryRunner()) as { commitTransaction(): Promise<void> };
    const commit = jest.spyOn(runnerPrototype, 'commitTransaction');
    try {
      const value = await run();
      return { value, commits: commit.mock.calls.length };
    } finally {
      commit.mockRestore();
    }
  }

  it('gives 48 posts sent at once gap-free seqs, each its own answer, its announcement and its notification', async () => {
    const { threadId, firstPostId } = await brunosThread();
    const heard: string[] = [];
    const listener = (post: { id: string }) => heard.push(post.id);
    t.app.get(EventEmitter2).on('post.created', listener);
    const payloads = writers.flatMap((writer, w) =>
      Array.from({ length: 6 }, (_, n) => ({ writer, body: `Message ${n} de ${w}`, clientKey: `ensemble-${w}-${n}`, parentId: firstPostId })),
    );
    const responses = await Promise.all(payloads.map(({ writer, ...payload }) => send(threadId, writer, payload)));
    t.app.get(EventEmitter2).off('post.created', listener);

    expect(responses.map((response) => response.status)).toEqual(payloads.map(() => 201));
    const answers = responses.map((response) => response.body as PostAnswer);
    // each answer is its own post: its body and key, and the seq it was stored with
    expect(answers.map(({ body, clientKey }) => ({ body, clientKey }))).toEqual(payloads.map(({ body, clientKey }) => ({ body, clientKey })));
    const stored = await storedPosts(threadId);
    expect(stored.map((post) => post.seq)).toEqual(stored.map((_, index) => index + 1));
    const storedById = new Map(stored.map((post) => [post.id, post]));
    for (const answer of answers) expect(storedById.get(answer.id)).toMatchObject({ seq: answer.seq, body: answer.body });
    expect(await t.dataSource.getRepository(Thread).findOneByOrFail({ id: threadId })).toMatchObject({ lastSeq: 49, postCount: 49 });
    // each post announced once, and each notifies Bruno, whose post they answer, once
    expect(heard.filter((id) => storedById.has(id)).sort()).toEqual(answers.map((answer) => answer.id).sort());
    const notified = await t.dataSource.getRepository(Notification).findBy({ userId: cast.bruno.user.id, threadId });
    expect(notified.map((notification) => notification.postId).sort()).toEqual(answers.map((answer) => answer.id).sort());
  });

  it('commits the posts made in one turn of the event loop together, once', async () => {
    const { threadId } = await brunosThread();
    const posts = t.app.get(PostsService);
    const { value: answers, commits } = await commitsDuring(() =>
      Promise.all(writers.map((writer, w) => posts.create(writer.user, threadId, { body: `Dans le même tour ${w}` }))),
    );
    expect(commits).toBe(1);
    expect(answers.map((answer) => answer.seq).sort((a, b) => a - b)).toEqual(writers.map((_, w) => w + 2));
  });

  it('refuses a bad post of a group alone, leaves no gap, and answers a key sent twice in it with one post', async () => {
    const { threadId, firstPostId } = await brunosThread();
    const elsewhere = await brunosThread();
    const posts = t.app.get(PostsService);
    const good = writers.map((writer, w) => ({
      writer,
      dto: { body: `Bon message ${w}`, clientKey: `bon-${threadId}-${w}`, parentId: firstPostId },
    }));
    const twice = { body: 'Envoyé deux fois', clientKey: `deux-fois-${threadId}` };
    const activity: number[] = [];
    const heardActivity = (event: { threadId: string; lastSeq: number }) => {
      if (event.threadId === threadId) activity.push(event.lastSeq);
    };
    t.app.get(EventEmitter2).on('thread.activity', heardActivity);
    // made in one turn: one group, one transaction, on either database (on PostgreSQL, run twice: first without a
    // savepoint per write, then, a write having failed, with them)
    const { value: outcomes, commits } = await commitsDuring(() =>
      Promise.allSettled([
        ...good.slice(0, 4).map(({ writer, dto }) => posts.create(writer.user, threadId, dto)),
        posts.create(cast.alice.user, threadId, { body: 'Réponse égarée', parentId: elsewhere.firstPostId }),
        posts.create(cast.alice.user, threadId, twice),
        posts.create(cast.alice.user, threadId, twice),
        ...good.slice(4).map(({ writer, dto }) => posts.create(writer.user, threadId, dto)),
      ]),
    );

    t.app.get(EventEmitter2).off('thread.activity', heardActivity);

    expect(commits).toBe(1);
    expect(outcomes.map((outcome) => outcome.status)).toEqual([...Array(4).fill('fulfilled'), 'rejected', ...Array(6).fill('fulfilled')]);
    // what a stored post announces once committed is announced once, whatever ran before the commit
    expect(activity.sort((a, b) => a - b)).toEqual(Array.from({ length: 9 }, (_, index) => index + 2));
    expect((outcomes[4] as PromiseRejectedResult).reason).toBeInstanceOf(BadRequestException);
    const answers = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    expect(answers[5]).toEqual(answers[4]);
    const stored = await storedPosts(threadId);
    expect(stored.map((post) => post.seq)).toEqual(stored.map((_, index) => index + 1));
    expect(stored.map((post) => post.body).sort()).toEqual(['Ouverture', twice.body, ...good.map(({ dto }) => dto.body)].sort());
    for (const answer of answers) expect(stored.find((post) => post.id === answer.id)).toMatchObject({ seq: answer.seq, body: answer.body });
    // Bruno watches his thread: each post stored notifies him once, the refused one not at all
    const notified = await t.dataSource.getRepository(Notification).findBy({ userId: cast.bruno.user.id, threadId });
    expect(notified.map((notification) => notification.postId).sort()).toEqual(
      stored
        .slice(1)
        .map((post) => post.id)
        .sort(),
    );
  });
});
