import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { EncodedJson, hashOf } from '../common/http/encoded-json';
import { decodeCursor, Page, PageQueryDto, pageSize } from '../common/http/pagination';
import { RevisionCache } from '../common/revision-cache';
import { hasRole } from '../common/roles';
import { Database } from '../database/database.service';
import { Revisions } from '../database/revisions';
import { DomainEventBus } from '../events/domain-events';
import { ReadStateService } from '../follow-up/read-state.service';
import { WatchesService } from '../follow-up/watches.service';
import { PostsService } from '../posts/posts.service';
import { toPostView } from '../posts/post.view';
import { indexDocuments, threadDocument } from '../search/search-index';
import { Topic } from '../topics/topic.entity';
import type { User } from '../users/user.entity';
import { CreateThreadDto, ThreadPostsQuery, UpdateThreadDto } from './dto/thread.dto';
import { Thread, ThreadContext } from './thread.entity';
import { CreatedThreadView, ReaderThreadView, ThreadView, toThreadView } from './thread.view';

export const DEFAULT_POSTS_PAGE = 50;

/** Threads' views as JSON, for the thread page: a few hundred bytes each, so thousands of threads fit. */
const MAX_CACHED_THREAD_VIEW_BYTES = 4 * 2 ** 20;
/** For a thread of the page the query did not answer for (deleted between the two reads). */
const NOTHING_READ = { lastReadSeq: 0, unreadCount: 0 };

@Injectable()
export class ThreadsService {
  private readonly threadViews = new RevisionCache<string>(MAX_CACHED_THREAD_VIEW_BYTES, (json) => json.length);

  constructor(
    @InjectRepository(Thread) private readonly threads: Repository<Thread>,
    private readonly database: Database,
    private readonly posts: PostsService,
    private readonly audit: AuditService,
    private readonly events: DomainEventBus,
    private readonly readState: ReadStateService,
    private readonly watches: WatchesService,
  ) {}

  /** Pinned first, then the most recent activity; each with the reader's lastReadSeq and unreadCount. */
  async listForTopic(reader: User, topicId: string, query: PageQueryDto): Promise<Page<ReaderThreadView>> {
    if (!(await this.threads.manager.existsBy(Topic, { id: topicId }))) throw new NotFoundException('Thème introuvable.');
    const limit = pageSize(query);
    const after = decodeCursor(query.cursor, ['flag', 'time', 'uuid']);
    const builder = this.threads
      .createQueryBuilder('thread')
      .innerJoinAndSelect('thread.author', 'author')
      .leftJoinAndSelect('author.metropolis', 'metropolis')
      .where('thread.topicId = :topicId', { topicId })
      .orderBy('thread.pinned', 'DESC')
      .addOrderBy('thread.lastActivityAt', 'DESC')
      .addOrderBy('thread.id', 'DESC')
      .take(limit + 1);
    if (after) {
      const [pinned, activity, id] = after;
      const at = this.database.timestampParameter(activity);
      builder.andWhere(
        '(thread.pinned < :pinned OR (thread.pinned = :pinned AND (thread.lastActivityAt < :at OR (thread.lastActivityAt = :at AND thread.id < :id))))',
        { pinned, at, id },
      );
    }
    const rows = await builder.getMany();
    const fields = await this.readState.threadFields(
      reader.id,
      rows.map((thread) => thread.id),
    );
    return Page.fromRows(
      rows,
      limit,
      (thread) => ({ ...toThreadView(thread), ...(fields.get(thread.id) ?? NOTHING_READ) }),
      (thread) => [thread.pinned, thread.lastActivityAt.toISOString(), thread.id],
    );
  }

  /**
   * A thread and its first post, which is a post like any other (PostsService: rate limit, clientKey, post.created):
   * the same clientKey again answers the thread it opened, without opening a second one.
   */
  async createInTopic(author: User, topicId: string, dto: CreateThreadDto): Promise<CreatedThreadView> {
    const post = await this.posts.createOpeningThread(
      author,
      { body: dto.body, clientKey: dto.clientKey, attachmentIds: dto.attachmentIds },
      async (manager) => {
        const topic = await manager.findOneBy(Topic, { id: topicId });
        if (!topic) throw new NotFoundException('Thème introuvable.');
        if (topic.archived) throw new ConflictException('Ce thème est archivé.');
        if (topic.locked && !hasRole(author.role, 'moderator'))
          throw new ForbiddenException('Ce thème est verrouillé : seuls les modérateurs y ouvrent des fils.');
        return (await this.createThread(manager, { title: dto.title, author, context: 'topic', topicId })).id;
      },
    );
    const thread = await this.getEntity(post.threadId);
    if (post.seq !== 1 || thread.topicId !== topicId) throw new ConflictException('Cette clientKey a déjà servi pour un autre message.');
    const view = toThreadView(thread);
    // lists add it live (a retried send announces it again: clients know it by its id)
    this.events.emit('thread.created', view);
    return { thread: view, post: toPostView(post, author) };
  }

  /**
   * A thread with no post yet, inside the caller's transaction: sessions and practices open theirs this way. One in a
   * topic changes the topic list's thread count. Its title is indexed for search, but for a practice's discussion,
   * which the practice's own index row stands for.
   */
  async createThread(
    manager: EntityManager,
    { title, author, context, topicId }: { title: string; author: Pick<User, 'id'>; context: ThreadContext; topicId: string | null },
  ): Promise<Thread> {
    const now = new Date();
    const thread = manager.create(Thread, {
      title,
      authorId: author.id,
      context,
      topicId,
      lastActivityAt: now,
      lastPostAt: null,
    });
    if (topicId !== null) await Revisions.bump(manager, 'topics');
    const saved = await manager.save(Thread, thread);
    await this.watches.watchByDefault(manager, author.id, saved.id);
    await this.indexTitle(manager, saved);
    return saved;
  }

  /** Views of the threads named, by id (an id that names no thread is absent). */
  async viewsByIds(ids: string[]): Promise<Map<string, ThreadView>> {
    if (ids.length === 0) return new Map();
    const threads = await this.threads
      .createQueryBuilder('thread')
      .innerJoinAndSelect('thread.author', 'author')
      .leftJoinAndSelect('author.metropolis', 'metropolis')
      .where('thread.id IN (:...ids)', { ids })
      .getMany();
    return new Map(threads.map((thread) => [thread.id, toThreadView(thread)]));
  }

  /** Renames a thread inside the caller's transaction (an agenda item renamed), its index row with it. */
  async retitle(manager: EntityManager, id: string, changes: { title: string; topicId?: string | null }): Promise<void> {
    await manager.update(Thread, { id }, changes);
    const thread = await manager.findOneBy(Thread, { id });
    if (thread) await this.indexTitle(manager, thread);
  }

  private async indexTitle(manager: EntityManager, thread: Thread): Promise<void> {
    if (thread.context !== 'practice') await indexDocuments(manager, [threadDocument(thread)]);
  }

  async getEntity(id: string): Promise<Thread> {
    const thread = await this.threads
      .createQueryBuilder('thread')
      .innerJoinAndSelect('thread.author', 'author')
      .leftJoinAndSelect('author.metropolis', 'metropolis')
      .where('thread.id = :id', { id })
      .getOne();
    if (!thread) throw new NotFoundException('Fil introuvable.');
    return thread;
  }

  /**
   * The thread page (a ThreadPageView) as encoded JSON. The most read route: it reads the thread's revision only
   * (`postsRevision`, bumped with every change to the thread or its posts), and takes the thread's view and the page
   * of posts already encoded from caches tagged with that revision. The ETag is made from the thread and the page's hash.
   */
  async getPageJson(reader: User, id: string, query: ThreadPostsQuery): Promise<EncodedJson> {
    const revision = await Revisions.readThread(this.threads.manager, id);
    if (revision === null) throw new NotFoundException('Fil introuvable.');
    const threadJson = await this.threadViews.getOrMake(id, revision, async () => JSON.stringify(toThreadView(await this.getEntity(id))));
    const thread = { id, postsRevision: revision };
    const [page, readerJson] = await Promise.all([
      this.posts.pageAsJson(reader, thread, query.afterSeq ?? 0, query.limit ?? DEFAULT_POSTS_PAGE),
      this.readerFieldsJson(reader, id),
    ]);
    // the shared view closed with the reader's own fields: the cached JSON stays one for everybody
    const head = `{"thread":${threadJson.slice(0, -1)},${readerJson}},"posts":`;
    const tail = `,"hasMore":${page.hasMore}}`;
    return { parts: [Buffer.from(head), page.json, Buffer.from(tail)], etag: `W/"${hashOf(head + page.hash + tail)}"` };
  }

  private async readerFieldsJson(reader: User, threadId: string): Promise<string> {
    const { lastReadSeq, unreadCount, watchLevel } = await this.readState.pageFields(reader.id, threadId);
    return `"lastReadSeq":${lastReadSeq},"unreadCount":${unreadCount},"watchLevel":"${watchLevel}"`;
  }

  async update(moderator: User, id: string, dto: UpdateThreadDto): Promise<ThreadView> {
    await this.database.write(async (manager) => {
      const thread = await manager.findOneBy(Thread, { id });
      if (!thread) throw new NotFoundException('Fil introuvable.');
      const changes: Record<string, unknown> = {};
      if (dto.title !== undefined) {
        thread.title = dto.title;
        changes.title = thread.title;
      }
      for (const flag of ['pinned', 'locked'] as const) {
        const value = dto[flag];
        if (value !== undefined && value !== thread[flag]) {
          thread[flag] = value;
          changes[flag] = value;
        }
      }
      await manager.save(Thread, thread);
      await Revisions.bumpThreads(manager, [id]);
      if (changes.title !== undefined) await this.indexTitle(manager, thread);
      await this.audit.record(manager, moderator, 'thread.update', 'thread', id, changes);
    });
    return toThreadView(await this.getEntity(id));
  }
}
