import { BadRequestException, ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, MoreThan, QueryFailedError, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { hasRole } from '../common/roles';
import { foldForSearch } from '../common/text';
import { Database } from '../database/database.service';
import { DomainEventBus } from '../events/domain-events';
import { Thread } from '../threads/thread.entity';
import type { User } from '../users/user.entity';
import { CreatePostDto, UpdatePostDto } from './dto/post.dto';
import { PostRateLimiter } from './post-rate-limiter';
import { Post } from './post.entity';
import { PostView, toPostView } from './post.view';

const AUTHOR_WITH_METROPOLIS = { author: { metropolis: true } } as const;

export interface NewPost {
  body: string;
  parentId?: string | null;
  clientKey?: string | null;
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
  ) {}

  async create(author: User, threadId: string, dto: CreatePostDto): Promise<PostView> {
    if (dto.clientKey) {
      const earlier = await this.findByClientKey(author, dto.clientKey);
      if (earlier) return this.replay(earlier, threadId, author);
    }
    await this.rateLimiter.consume(author.id);
    let written: { post: Post; created: boolean };
    try {
      written = await this.database.write(async (manager) => {
        const thread = await manager.findOneBy(Thread, { id: threadId });
        if (!thread) throw new NotFoundException('Thread not found');
        if (thread.locked && !hasRole(author.role, 'moderator')) throw new ForbiddenException('This thread is locked');
        const earlier = dto.clientKey ? await this.findByClientKey(author, dto.clientKey, manager) : null;
        if (earlier) return { post: earlier, created: false };
        return { post: await this.append(manager, thread, author, dto), created: true };
      });
    } catch (error) {
      // Two sends with one clientKey at once on PostgreSQL: the unique index keeps the first, the second returns it.
      const earlier = dto.clientKey && isUniqueViolation(error) ? await this.findByClientKey(author, dto.clientKey) : null;
      if (earlier) return this.replay(earlier, threadId, author);
      throw error;
    }
    const { post, created } = written;
    if (!created) return this.replay(post, threadId, author);
    const view = toPostView(post, author);
    this.events.emit('post.created', toPostView(post));
    return view;
  }

  /**
   * Appends a post inside the caller's write transaction: takes the next seq of the thread (the UPDATE locks the
   * thread's row on PostgreSQL; SQLite writers are serialised), so seqs have no gap and no duplicate.
   */
  async append(manager: EntityManager, thread: Thread, author: User, post: NewPost): Promise<Post> {
    if (post.parentId) {
      const parent = await manager.findOne(Post, { where: { id: post.parentId }, select: { id: true, threadId: true } });
      if (!parent || parent.threadId !== thread.id) throw new BadRequestException(['parentId must name a post of the same thread']);
    }
    const now = new Date();
    await manager
      .createQueryBuilder()
      .update(Thread)
      .set({ lastSeq: () => '"lastSeq" + 1', postCount: () => '"postCount" + 1', lastPostAt: now, lastActivityAt: now })
      .where('id = :id', { id: thread.id })
      .execute();
    const { lastSeq } = await manager.findOneOrFail(Thread, { where: { id: thread.id }, select: { id: true, lastSeq: true } });
    const body = post.body.normalize('NFC');
    const saved = await manager.save(
      Post,
      manager.create(Post, {
        threadId: thread.id,
        seq: lastSeq,
        parentId: post.parentId ?? null,
        authorId: author.id,
        body,
        clientKey: post.clientKey ?? null,
        editedAt: null,
        deletedAt: null,
        hiddenAt: null,
        hiddenById: null,
        searchText: foldForSearch(body),
      }),
    );
    saved.author = author;
    saved.createdAt ??= now;
    thread.lastSeq = lastSeq;
    return saved;
  }

  /** Posts of a thread with seq > afterSeq, in order; `limit + 1` are read to tell whether more remain. */
  async listAfter(reader: User, threadId: string, afterSeq: number, limit: number): Promise<{ posts: PostView[]; hasMore: boolean }> {
    const rows = await this.posts.find({
      where: { threadId, seq: MoreThan(afterSeq) },
      relations: AUTHOR_WITH_METROPOLIS,
      order: { seq: 'ASC' },
      take: limit + 1,
    });
    const hasMore = rows.length > limit;
    return { posts: rows.slice(0, limit).map((post) => toPostView(post, reader)), hasMore };
  }

  async edit(editor: User, id: string, dto: UpdatePostDto): Promise<PostView> {
    return this.change(editor, id, 'author-or-moderator', (post) => {
      if (post.deletedAt) throw new ConflictException('A deleted post cannot be edited');
      post.body = dto.body.normalize('NFC');
      post.searchText = foldForSearch(post.body);
      post.editedAt = new Date();
      return post.authorId === editor.id ? null : 'post.edit';
    });
  }

  async remove(remover: User, id: string): Promise<PostView> {
    return this.change(remover, id, 'author-or-moderator', (post) => {
      post.deletedAt ??= new Date();
      return post.authorId === remover.id ? null : 'post.delete';
    }, 'post.deleted');
  }

  async setHidden(moderator: User, id: string, hidden: boolean): Promise<PostView> {
    return this.change(moderator, id, 'moderator', (post) => {
      post.hiddenAt = hidden ? (post.hiddenAt ?? new Date()) : null;
      post.hiddenById = hidden ? moderator.id : null;
      return hidden ? 'post.hide' : 'post.unhide';
    });
  }

  /**
   * Loads, checks the right, applies the change and saves in one transaction, records moderator actions in the audit
   * log, then announces the new state.
   */
  private async change(
    actor: User,
    id: string,
    allowed: 'author-or-moderator' | 'moderator',
    apply: (post: Post) => string | null,
    event: 'post.updated' | 'post.deleted' = 'post.updated',
  ): Promise<PostView> {
    const post = await this.database.write(async (manager) => {
      const found = await manager.findOne(Post, { where: { id }, relations: AUTHOR_WITH_METROPOLIS });
      if (!found) throw new NotFoundException('Post not found');
      const isModerator = hasRole(actor.role, 'moderator');
      if (!isModerator && (allowed === 'moderator' || found.authorId !== actor.id)) {
        throw new ForbiddenException(allowed === 'moderator' ? 'Only moderators may do this' : 'Only the author or a moderator may change this post');
      }
      const auditAction = apply(found);
      await manager.save(Post, found);
      if (auditAction) await this.audit.record(manager, actor, auditAction, 'post', found.id, { threadId: found.threadId });
      return found;
    });
    this.events.emit(event, toPostView(post));
    return toPostView(post, actor);
  }

  private findByClientKey(author: User, clientKey: string, manager = this.posts.manager): Promise<Post | null> {
    return manager.findOne(Post, { where: { authorId: author.id, clientKey }, relations: AUTHOR_WITH_METROPOLIS });
  }

  /** A retried send: the first post, provided it was made in the same thread. */
  private replay(earlier: Post, threadId: string, author: User): PostView {
    if (earlier.threadId !== threadId) throw new ConflictException('This clientKey was already used for a post in another thread');
    return toPostView(earlier, author);
  }
}

function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const { code } = error.driverError as { code?: string };
  return code === '23505' || code === 'SQLITE_CONSTRAINT' || /UNIQUE constraint failed/.test(error.message);
}
