import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDataSourceOptions, createDataSource } from '../src/database/data-source-options';
import { WAL_LIMIT_BYTES } from '../src/database/wal-checkpointer';
import { POST_BODY_MAX } from '../src/posts/dto/post.dto';
import { PostsService } from '../src/posts/posts.service';
import { createTestApp, discussionCast, TestApp, TestUser } from './support/test-app';
import { until } from './support/until';

/**
 * The WAL of a SQLite file (better-sqlite3) is checkpointed by a worker thread, not by the commits of the app's
 * connection, and stays bounded however many commits there are, even when readers kept it from being rewound for a
 * while. (That an acknowledged post survives a SIGKILL is test/live/durability.e2e-spec.ts's, which runs with it.)
 */
describe('WAL checkpoints off the event loop (SQLite file)', () => {
  let directory: string;
  let file: string;
  let t: TestApp;
  let alice: TestUser;
  let threadId: string;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'essor-wal-'));
    file = join(directory, 'essor.sqlite');
    t = await createTestApp({ sqliteFile: file });
    const cast = await discussionCast(t);
    alice = cast.alice;
    const opened = await t
      .http()
      .post(`/api/topics/${cast.topicId}/threads`)
      .set('Authorization', alice.auth)
      .send({ title: 'Long fil', body: 'Début' })
      .expect(201);
    threadId = (opened.body as { thread: { id: string } }).thread.id;
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  const walSize = () => statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0;
  let sent = 0;
  /** One long post, in a commit of its own: some 20 KB in the posts table and as much again in the search index. */
  const longPost = () => t.app.get(PostsService).create(alice.user, threadId, { body: `${++sent} ${'x'.repeat(POST_BODY_MAX - 10)}` });

  it('commits without checkpointing on the app’s connection, and keeps the WAL within its limit', async () => {
    expect(await t.dataSource.query('PRAGMA wal_autocheckpoint')).toEqual([{ wal_autocheckpoint: 0 }]);
    // a WAL that the app's connection rewinds is cut back to the limit at its next commit
    expect(await t.dataSource.query('PRAGMA journal_size_limit')).toEqual([{ journal_size_limit: WAL_LIMIT_BYTES }]);
    // four times the limit at least goes through the WAL
    for (let written = 0; written < 4 * WAL_LIMIT_BYTES; written += 2 * POST_BODY_MAX) await longPost();
    await until('the WAL is back within its limit', async () => {
      await longPost();
      return walSize() <= WAL_LIMIT_BYTES;
    });
  });

  it('truncates the WAL that a long reader let grow past its limit, once the reader is done', async () => {
    const reader = await createDataSource(
      buildDataSourceOptions({ type: 'sqlite', path: file, driver: 'better-sqlite3', synchronous: 'NORMAL' }),
    ).initialize();
    try {
      // an open read transaction: its snapshot keeps every later frame in the WAL
      const runner = reader.createQueryRunner();
      await runner.startTransaction();
      await runner.query('SELECT COUNT(*) FROM posts');
      while (walSize() <= 2 * WAL_LIMIT_BYTES) await longPost();
      await runner.commitTransaction();
    } finally {
      await reader.destroy();
    }
    await until('the WAL is truncated', async () => {
      await longPost();
      return walSize() <= WAL_LIMIT_BYTES;
    });
  });

  it('closes its connection with the app: the last one closed removes the WAL', async () => {
    await longPost();
    expect(existsSync(`${file}-wal`)).toBe(true);
    await t.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
  });
});
