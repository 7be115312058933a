import { BadRequestException, ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { AttachmentsService } from '../attachments/attachments.service';
import { AuditService } from '../audit/audit.service';
import { hashOf } from '../common/http/encoded-json';
import { timeOrderedUuid } from '../common/ids';
import { hasRole } from '../common/roles';
import { Database } from '../database/database.service';
import { Revisions, THREAD_PAGE_BUMP } from '../database/revisions';
import { renderMarkdown } from '../markdown/markdown';
import { runSql } from '../database/sql';
import { indexDocuments, postDocument, POSTGRES_INDEX_UPSERT, postgresIndexParameters, removeDocuments } from '../search/search-index';
import { DomainEventBus } from '../events/domain-events';
import { PostFollowUp, PostedThread } from '../follow-up/post-follow-up.service';
import { Thread } from '../threads/thread.entity';
import type { User } from '../users/user.entity';
import { CreatePostDto, UpdatePostDto } from './dto/post.dto';
import { CachedPostPage, PostPageCache } from './post-page-cache';
import { PostRateLimiter } from './post-rate-limiter';
import { Post } from './post.entity';
import { PostView, toPostView } from './post.view';

const AUTHOR_WITH_METROPOLIS = { author: { metropolis: true } } as const;
const POST_RELATIONS = { author: { metropolis: true }, attachments: { uploader: true } } as const;

// Posting is the hottest write: its statements are written out once rather than built at every post.
const BUMP_THREAD_SEQ =
  `UPDATE "threads" SET "lastSeq" = "lastSeq" + 1, "postCount" = "postCount" + 1, ${THREAD_PAGE_BUMP}, ` +
  '"lastPostAt" = :at, "lastActivityAt" = :at, "updatedAt" = :at WHERE "id" = :threadId';
const READ_THREAD_SEQ =
  'SELECT "threads"."lastSeq", "threads"."locked", "threads"."title", "threads"."topicId", "threads"."postCount", ' +
  '"topics"."archived" AS "topicArchived" FROM "threads" LEFT JOIN "topics" ON "topics"."id" = "threads"."topicId" WHERE "threads"."id" = :threadId';
/** The thread's row after the bump: its new seq and counters, and what decides whether it takes the post. */
type ThreadAfterBump = PostedThread & ThreadWriteState;

/** What inserting a post found: the thread's counters, the author of the post it answers (null if none), the people it mentions by handle. */
interface InsertedPost {
  thread: PostedThread;
  parentAuthorId: string | null;
  mentioned: Map<string, string>;
}

/**
 * PostgreSQL: the bump (which locks the thread's row), the post with the seq it took, and the post's search row in
 * one statement, answering the thread's row after the bump and the parent's author, which the statement's snapshot
 * sees (a parent of another thread, or none, gives null and no link).
 */
const APPEND_POSTGRES = `WITH "bumped" AS (
  ${BUMP_THREAD_SEQ} RETURNING "lastSeq", "locked", "title", "topicId", "postCount",
    (SELECT "topics"."archived" FROM "topics" WHERE "topics"."id" = "threads"."topicId") AS "topicArchived"
), "parent" AS (
  SELECT "id", "authorId" FROM "posts" WHERE "id" = CAST(:parentId AS uuid) AND "threadId" = CAST(:threadId AS uuid)
), "inserted" AS (
  INSERT INTO "posts" ("id", "threadId", "seq", "parentId", "authorId", "body", "bodyHtml", "clientKey", "createdAt")
  SELECT CAST(:id AS uuid), CAST(:threadId AS uuid), "bumped"."lastSeq", (SELECT "id" FROM "parent"), CAST(:authorId AS uuid),
    CAST(:body AS text), CAST(:bodyHtml AS text), CAST(:clientKey AS text), CAST(:at AS timestamptz) FROM "bumped"
), "indexed" AS (
  ${POSTGRES_INDEX_UPSERT}
)
SELECT "bumped".*, (SELECT "authorId" FROM "parent") AS "parentAuthorId" FROM "bumped"`;

/** What decides whether a thread takes writes: its lock and its topic's archive. */
interface ThreadWriteState {
  locked: boolean | number;
  topicArchived: boolean | number | null;
}

/**
 * The one rule for writing in a thread, for a new post (HTTP, live, first post) and an edit alike: the threads of an
 * archived topic take nothing, as the topic takes no new thread (409); a locked thread takes only moderators' (403).
 */
function assertThreadTakesWrites(thread: ThreadWriteState, writer: User): void {
  if (thread.topicArchived) throw new ConflictException('Ce thème est archivé.');
  if (thread.locked && !hasRole(writer.role, 'moderator')) throw new ForbiddenException('Ce fil est verrouillé.');
}
const INSERT_POST =
  'INSERT INTO "posts" ("id", "threadId", "seq", "parentId", "authorId", "body", "bodyHtml", "clientKey", "createdAt") ' +
  'VALUES (:id, :threadId, :seq, :parentId, :authorId, :body, :bodyHtml, :clientKey, :createdAt)';

/** A change to a post inside its transaction: the audit action it is (if a moderator's), and the files it removed. */
type PostChange = (post: Post, manager: EntityManager) => Promise<{ audit: string | null; removed: string[] }>;

export interface NewPost {
  body: string;
  parentId?: string | null;
  clientKey?: string | null;
  attachmentIds?: string[];
}

/**
 * The one place posts are written, whether they come over HTTP or live: validation of the thread and parent,
 * rights, rate limit, gap-free seq, idempotency by clientKey, and the domain events the live rooms hear.
 */
@Injectable()
export class PostsService {
  constructor(
    @InjectRepository(Post) private readonly posts: Repository<Post>,
    private readonly database: Database,
    private readonly rateLimiter: PostRateLimiter,
    private readonly audit: AuditService,
    private readonly events: DomainEventBus,
    private readonly pageCache: PostPageCache,
    private readonly followUp: PostFollowUp,
    private readonly attachments: AttachmentsService,
  ) {}

  async create(author: User, threadId: string, dto: CreatePostDto): Promise<PostView> {
    const post = await this.publish(author, dto, () => Promise.resolve(threadId), threadId);
    if (post.threadId !== threadId) throw new ConflictException('Cette clientKey a déjà servi pour un message d’un autre fil.');
    return toPostView(post, author);
  }

  /**
   * The first post of a thread that `openThread` creates in the same transaction (and answers the id of). A retried
   * clientKey answers the first post it made, wherever that is: the caller checks it opened a thread where expected.
   */
  createOpeningThread(author: User, post: NewPost, openThread: (manager: EntityManager) => Promise<string>): Promise<Post> {
    return this.publish(author, post, openThread);
  }

  /**
   * The one way a post is made: the rate limit, the write, and `post.created` once committed. A retried send (its ack
   * was lost, or two sends raced) finds the first post made with its clientKey: that post is the answer, whatever now
   * stands in the way (the unique index, the rate limit, a thread locked since). The posts of one known thread form a
   * write group: those that arrive together take the thread's row lock once and share a commit.
   */
  private async publish(author: User, post: NewPost, threadOf: (manager: EntityManager) => Promise<string>, knownThreadId?: string): Promise<Post> {
    try {
      await this.rateLimiter.consume(author.id);
      const created = await this.database.write(async (manager) => this.append(manager, await threadOf(manager), author, post), {
        group: knownThreadId && `thread:${knownThreadId}`,
      });
      this.events.emit('post.created', toPostView(created));
      return created;
    } catch (error) {
      const earlier = post.clientKey ? await this.findByClientKey(author, post.clientKey) : null;
      if (earlier) return earlier;
      throw error;
    }
  }

  /**
   * Appends a post inside the write transaction. Taking the thread's next seq is the first write: the UPDATE locks
   * the thread's row on PostgreSQL (SQLite writers are serialised), so seqs have no gap and no duplicate.
   */
  private async append(manager: EntityManager, threadId: string, author: User, post: NewPost): Promise<Post> {
    const now = new Date();
    const { body } = post;
    // built directly: it is inserted by INSERT_POST or APPEND_POSTGRES, so TypeORM's create() (which walks the entity's metadata) adds nothing
    const created = Object.assign(new Post(), {
      id: timeOrderedUuid(),
      threadId,
      seq: 0,
      parentId: post.parentId ?? null,
      authorId: author.id,
      author,
      body,
      bodyHtml: '', // cooked by cook(), once the people it mentions are known
      clientKey: post.clientKey ?? null,
      createdAt: now,
      editedAt: null,
      deletedAt: null,
      hiddenAt: null,
      hiddenById: null,
      hiddenReason: null,
    });
    const { thread, parentAuthorId, mentioned } = this.database.isSqlite
      ? await this.insertSqlite(manager, created, author)
      : await this.insertPostgres(manager, created, author);
    // a new post has no file to remove: linking only takes the author's uploads
    created.attachments = post.attachmentIds?.length
      ? (await this.attachments.link(manager, author, 'post', created.id, post.attachmentIds)).attachments
      : [];
    await this.followUp.posted(manager, created, thread, author, parentAuthorId, mentioned);
    return created;
  }

  /**
   * SQLite, where a statement costs no round trip: the bump, its row read back, the people mentioned, the parent's
   * check, the post, its search row. The bump comes first so that the transaction takes the write lock before it reads:
   * a read first would pin a snapshot that another connection's commit can make stale, and the write would then fail
   * at once with SQLITE_BUSY, which no busy timeout waits out.
   */
  private async insertSqlite(manager: EntityManager, created: Post, author: User): Promise<InsertedPost> {
    const at = this.database.timestampParameter(created.createdAt);
    await runSql(manager, BUMP_THREAD_SEQ, { threadId: created.threadId, at });
    const [thread] = await runSql<ThreadAfterBump[]>(manager, READ_THREAD_SEQ, { threadId: created.threadId });
    const postedThread = this.checkedBump(thread, author, created);
    const mentioned = await this.cook(manager, created);
    let parentAuthorId: string | null = null;
    if (created.parentId) {
      const parent = await manager.findOne(Post, { where: { id: created.parentId }, select: { id: true, threadId: true, authorId: true } });
      parentAuthorId = parent?.threadId === created.threadId ? parent.authorId : null;
    }
    this.checkParent(created, parentAuthorId);
    await runSql(manager, INSERT_POST, { ...created, createdAt: at });
    await indexDocuments(manager, [postDocument(created, author.metropolisId)]);
    return { thread: postedThread, parentAuthorId, mentioned };
  }

  /**
   * PostgreSQL: the bump, the post and its search row in one statement (each data-modifying CTE runs once), so the
   * thread's row lock is held one round trip per post where it was three. A thread that takes no writes, or a parent
   * from elsewhere, is refused after the fact: the write's transaction (or savepoint) takes the post back. The people
   * mentioned are read before, outside the lock.
   */
  private async insertPostgres(manager: EntityManager, created: Post, author: User): Promise<InsertedPost> {
    const mentioned = await this.cook(manager, created);
    const [row] = await runSql<Array<ThreadAfterBump & { parentAuthorId: string | null }>>(manager, APPEND_POSTGRES, {
      ...postgresIndexParameters([postDocument(created, author.metropolisId)]),
      ...created,
      at: created.createdAt,
    });
    const thread = this.checkedBump(row, author, created);
    this.checkParent(created, row.parentAuthorId);
    return { thread, parentAuthorId: row.parentAuthorId, mentioned };
  }

  /** The people the post mentions (by handle), and its HTML, which links them. */
  private async cook(manager: EntityManager, created: Post): Promise<Map<string, string>> {
    const mentioned = await this.followUp.mentionedPeople(manager, created.body);
    created.bodyHtml = renderMarkdown(created.body, (handle) => mentioned.has(handle));
    return mentioned;
  }

  /** The thread's counters after the bump, once it is known to exist and take the post; the post takes its seq. */
  private checkedBump(thread: ThreadAfterBump | undefined, author: User, created: Post): PostedThread {
    if (!thread) throw new NotFoundException('Fil introuvable.');
    assertThreadTakesWrites(thread, author);
    created.seq = Number(thread.lastSeq);
    return { title: thread.title, topicId: thread.topicId, lastSeq: created.seq, postCount: Number(thread.postCount) };
  }

  /** A reply's parent is a post of the same thread (its author was found there), or the post is refused. */
  private checkParent(created: Post, parentAuthorId: string | null): void {
    if (created.parentId && !parentAuthorId) throw new BadRequestException(['parentId doit désigner un message du même fil.']);
  }

  /** Posts of a thread with seq > afterSeq, in order; `limit + 1` are read to tell whether more remain. */
  async listAfter(reader: User, threadId: string, afterSeq: number, limit: number): Promise<{ posts: PostView[]; hasMore: boolean }> {
    const rows = await this.readAfter(threadId, afterSeq, limit + 1);
    const hasMore = rows.length > limit;
    return { posts: rows.slice(0, limit).map((post) => toPostView(post, reader)), hasMore };
  }

  /**
   * The same page as listAfter, as JSON: the thread page is the most read route, so a page is kept until the thread's
   * postsRevision moves. Moderators share one copy, other readers another (hidden bodies differ).
   */
  async pageAsJson(reader: User, thread: Pick<Thread, 'id' | 'postsRevision'>, afterSeq: number, limit: number): Promise<CachedPostPage> {
    const readsHidden = hasRole(reader.role, 'moderator');
    const key = `${thread.id}:${afterSeq}:${limit}:${readsHidden ? 'moderator' : 'member'}`;
    const cached = this.pageCache.get(key, thread.postsRevision);
    if (cached && !cached.hiddenPostAuthorIds.includes(reader.id)) return cached;
    const rows = await this.readAfter(thread.id, afterSeq, limit + 1);
    const posts = rows.slice(0, limit);
    const json = Buffer.from(JSON.stringify(posts.map((post) => toPostView(post, reader))));
    const page: CachedPostPage = {
      json,
      hash: hashOf(json),
      hasMore: rows.length > limit,
      hiddenPostAuthorIds: posts.filter((post) => post.hiddenAt && !post.deletedAt).map((post) => post.authorId),
    };
    if (readsHidden || !page.hiddenPostAuthorIds.includes(reader.id)) this.pageCache.set(key, thread.postsRevision, page);
    return page;
  }

  private async readAfter(threadId: string, afterSeq: number, count: number): Promise<Post[]> {
    // limit(), not take(): the joins are many-to-one, so rows are posts and TypeORM needs no DISTINCT pre-query
    const posts = await this.posts
      .createQueryBuilder('post')
      .innerJoinAndSelect('post.author', 'author')
      .leftJoinAndSelect('author.metropolis', 'metropolis')
      .where('post.threadId = :threadId AND post.seq > :afterSeq', { threadId, afterSeq })
      .orderBy('post.seq', 'ASC')
      .limit(count)
      .getMany();
    // the page's files in one more query, rather than a one-to-many join that would multiply the rows
    const files = await this.attachments.ofOwners(
      'post',
      posts.map((post) => post.id),
    );
    for (const post of posts) post.attachments = files.get(post.id) ?? [];
    return posts;
  }

  async edit(editor: User, id: string, dto: UpdatePostDto): Promise<PostView> {
    const { body } = dto;
    // read before the write: the people it mentions, for the links of the cooked HTML and the notifications
    const mentioned = await this.followUp.mentionedPeople(this.posts.manager, body);
    return this.change(editor, id, 'author-or-moderator', async (post, manager) => {
      if (post.deletedAt) throw new ConflictException('Un message supprimé ne peut plus être modifié.');
      const thread = await manager
        .createQueryBuilder(Thread, 'thread')
        .leftJoin('thread.topic', 'topic')
        .select('thread.locked', 'locked')
        .addSelect('thread.title', 'title')
        .addSelect('topic.archived', 'topicArchived')
        .where('thread.id = :id', { id: post.threadId })
        .getRawOne<ThreadWriteState & { title: string }>();
      assertThreadTakesWrites(thread!, editor);
      const previousBody = post.body;
      post.body = body;
      post.bodyHtml = renderMarkdown(body, (handle) => mentioned.has(handle));
      post.editedAt = new Date();
      const removed = dto.attachmentIds ? (await this.attachments.link(manager, editor, 'post', post.id, dto.attachmentIds)).removed : [];
      await this.followUp.edited(manager, post, previousBody, thread!, editor, mentioned);
      return { audit: post.authorId === editor.id ? null : 'post.edit', removed };
    });
  }

  /** Soft: the post keeps its place, and its files go with its body. */
  async remove(remover: User, id: string): Promise<PostView> {
    return this.change(
      remover,
      id,
      'author-or-moderator',
      async (post, manager) => {
        post.deletedAt ??= new Date();
        return { audit: post.authorId === remover.id ? null : 'post.delete', removed: await this.attachments.unlinkAll(manager, 'post', post.id) };
      },
      'post.deleted',
    );
  }

  /** Hiding again with a new reason replaces the reason; unhiding forgets it. */
  async setHidden(moderator: User, id: string, hidden: boolean, reason?: string): Promise<PostView> {
    const post = await this.database.write((manager) => this.setHiddenWithin(manager, moderator, id, hidden, reason));
    this.announceUpdate(post);
    return toPostView(post, moderator);
  }

  /**
   * Hides or shows a post inside the caller's transaction, for a moderator action that does more in the same
   * transaction (resolving flags); the caller announces the post with announceUpdate once committed.
   */
  async setHiddenWithin(manager: EntityManager, moderator: User, id: string, hidden: boolean, reason?: string): Promise<Post> {
    const { post } = await this.changeWithin(manager, moderator, id, 'moderator', (hiding) => {
      hiding.hiddenAt = hidden ? (hiding.hiddenAt ?? new Date()) : null;
      hiding.hiddenById = hidden ? moderator.id : null;
      hiding.hiddenReason = hidden ? (reason?.normalize('NFC').trim() ?? hiding.hiddenReason) : null;
      return Promise.resolve({ audit: hidden ? 'post.hide' : 'post.unhide', removed: [] });
    });
    return post;
  }

  announceUpdate(post: Post): void {
    this.events.emit('post.updated', toPostView(post));
  }

  /** A change in a transaction of its own; once committed, the bytes of files it removed are freed and it is announced. */
  private async change(
    actor: User,
    id: string,
    allowed: 'author-or-moderator' | 'moderator',
    apply: PostChange,
    event: 'post.updated' | 'post.deleted' = 'post.updated',
  ): Promise<PostView> {
    const { post, removed } = await this.database.write((manager) => this.changeWithin(manager, actor, id, allowed, apply));
    await this.attachments.purge(removed);
    this.events.emit(event, toPostView(post));
    return toPostView(post, actor);
  }

  /**
   * Loads, checks the right, applies the change and saves, bumps the thread page's revision and records moderator
   * actions in the audit log, all in the caller's transaction.
   */
  private async changeWithin(
    manager: EntityManager,
    actor: User,
    id: string,
    allowed: 'author-or-moderator' | 'moderator',
    apply: PostChange,
  ): Promise<{ post: Post; removed: string[] }> {
    const found = await manager.findOne(Post, { where: { id }, relations: AUTHOR_WITH_METROPOLIS });
    if (!found) throw new NotFoundException('Message introuvable.');
    const isModerator = hasRole(actor.role, 'moderator');
    if (!isModerator && (allowed === 'moderator' || found.authorId !== actor.id)) {
      throw new ForbiddenException(
        allowed === 'moderator' ? 'Seuls les modérateurs peuvent faire cela.' : 'Seuls l’auteur du message et les modérateurs peuvent le modifier.',
      );
    }
    const { audit: auditAction, removed } = await apply(found, manager);
    await manager.save(Post, found);
    // the search index follows in the same transaction: a deleted post leaves it, a hidden one is marked
    if (found.deletedAt) await removeDocuments(manager, [found.id]);
    else await indexDocuments(manager, [postDocument(found, found.author.metropolisId)]);
    await Revisions.bumpThreads(manager, [found.threadId]);
    if (auditAction) await this.audit.record(manager, actor, auditAction, 'post', found.id, { threadId: found.threadId });
    found.attachments = await this.attachments.ofOwner(manager, 'post', found.id);
    return { post: found, removed };
  }

  private findByClientKey(author: User, clientKey: string, manager = this.posts.manager): Promise<Post | null> {
    return manager.findOne(Post, { where: { authorId: author.id, clientKey }, relations: POST_RELATIONS });
  }
}
