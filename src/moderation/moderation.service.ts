import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { In, IsNull } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { decodeCursor, Page, PageQueryDto, pageSize } from '../common/http/pagination';
import { Database } from '../database/database.service';
import { DomainEventBus } from '../events/domain-events';
import { NotificationsService } from '../notifications/notifications.service';
import { Post } from '../posts/post.entity';
import { toPostView } from '../posts/post.view';
import { PostsService } from '../posts/posts.service';
import { Thread } from '../threads/thread.entity';
import { User } from '../users/user.entity';
import { toAuthorView } from '../users/user.view';
import { CreateFlagDto, FlagView, ModerationCountView, QueueItemView, ResolutionView, ResolveFlagsDto } from './dto/moderation.dto';
import { PostFlag } from './post-flag.entity';

/** Open flags a moderation queue holds at most: far more than a working group ever leaves waiting. */
const QUEUE_CAPACITY = 2000;

@Injectable()
export class ModerationService {
  constructor(
    private readonly database: Database,
    private readonly posts: PostsService,
    private readonly audit: AuditService,
    private readonly events: DomainEventBus,
    private readonly notifications: NotificationsService,
  ) {}

  /** Posts with at least one open report: the figure in moderators' headers. */
  async count(): Promise<ModerationCountView> {
    const row: { open: string | number } | undefined = await this.database.dataSource.manager
      .createQueryBuilder(PostFlag, 'flag')
      .select('COUNT(DISTINCT flag.postId)', 'open')
      .where('flag.resolvedAt IS NULL')
      .getRawOne();
    return { open: Number(row?.open ?? 0) };
  }

  /** Moderators' headers follow the queue live. */
  private async announceCount(): Promise<void> {
    this.events.emit('moderation.count', await this.count());
  }

  async flag(reporter: User, postId: string, dto: CreateFlagDto): Promise<FlagView> {
    const flag = await this.database.write(async (manager) => {
      const post = await manager.findOneBy(Post, { id: postId });
      if (!post) throw new NotFoundException('Message introuvable.');
      if (post.deletedAt) throw new ConflictException('Ce message a été supprimé.');
      if (await manager.existsBy(PostFlag, { postId, reporterId: reporter.id, resolvedAt: IsNull() })) {
        throw new ConflictException('Vous avez déjà signalé ce message.');
      }
      await manager.delete(PostFlag, { postId, reporterId: reporter.id });
      const saved = await manager.save(
        PostFlag,
        manager.create(PostFlag, {
          postId,
          reporterId: reporter.id,
          reason: dto.reason,
          resolvedAt: null,
          resolvedById: null,
          resolution: null,
        }),
      );
      await this.notifications.notifyModerators(manager, {
        kind: 'flag',
        actorId: reporter.id,
        threadId: post.threadId,
        postId,
        seq: post.seq,
        flagId: saved.id,
      });
      return saved;
    });
    await this.announceCount();
    return { id: flag.id, postId: flag.postId, reason: flag.reason, createdAt: flag.createdAt.toISOString() };
  }

  /** Posts with open flags, the longest waiting first. */
  async queue(moderator: User, query: PageQueryDto): Promise<Page<QueueItemView>> {
    const limit = pageSize(query);
    const decoded = decodeCursor(query.cursor, ['time', 'uuid']);
    const after = decoded && ([decoded[0].toISOString(), decoded[1]] as const);
    const manager = this.database.dataSource.manager;
    const open = await manager.find(PostFlag, { where: { resolvedAt: IsNull() }, order: { createdAt: 'ASC' }, take: QUEUE_CAPACITY });
    const byPost = new Map<string, PostFlag[]>();
    for (const flag of open) byPost.set(flag.postId, [...(byPost.get(flag.postId) ?? []), flag]);
    const waiting = [...byPost.entries()]
      .map(([postId, flags]) => ({ postId, flags, since: flags[0].createdAt.toISOString() }))
      .filter((item) => !after || item.since > after[0] || (item.since === after[0] && item.postId > after[1]))
      .sort((a, b) => a.since.localeCompare(b.since) || a.postId.localeCompare(b.postId))
      .slice(0, limit + 1);

    const postIds = waiting.map((item) => item.postId);
    const reporterIds = [...new Set(waiting.flatMap((item) => item.flags.map((flag) => flag.reporterId)))];
    const [posts, reporters] = await Promise.all([
      postIds.length
        ? manager.find(Post, { where: { id: In(postIds) }, relations: { author: { metropolis: true }, attachments: { uploader: true } } })
        : [],
      reporterIds.length ? manager.find(User, { where: { id: In(reporterIds) }, relations: { metropolis: true } }) : [],
    ]);
    const threads = posts.length
      ? await manager.find(Thread, { where: { id: In([...new Set(posts.map((post) => post.threadId))]) }, select: { id: true, title: true } })
      : [];
    const postById = new Map(posts.map((post) => [post.id, post]));
    const reporterById = new Map(reporters.map((reporter) => [reporter.id, reporter]));
    const threadById = new Map(threads.map((thread) => [thread.id, thread]));

    return Page.fromRows(
      waiting,
      limit,
      (item) => {
        const post = postById.get(item.postId)!;
        const thread = threadById.get(post.threadId)!;
        return {
          post: toPostView(post, moderator),
          thread: { id: thread.id, title: thread.title },
          flagCount: item.flags.length,
          reports: item.flags.map((flag) => ({
            reporter: toAuthorView(reporterById.get(flag.reporterId)!),
            reason: flag.reason,
            createdAt: flag.createdAt.toISOString(),
          })),
          firstFlaggedAt: item.since,
        };
      },
      (item) => [item.since, item.postId],
    );
  }

  /**
   * Hides the post or keeps it, and closes every open flag on it: one moderator action, one transaction (the hiding,
   * the flags and both audit entries commit together or not at all).
   */
  async resolve(moderator: User, postId: string, dto: ResolveFlagsDto): Promise<ResolutionView> {
    const resolution = dto.action === 'hide' ? 'hidden' : 'dismissed';
    const { closedFlags, hidden } = await this.database.write(async (manager) => {
      const hidden = dto.action === 'hide' ? await this.posts.setHiddenWithin(manager, moderator, postId, true, dto.reason) : null;
      if (!hidden && !(await manager.existsBy(Post, { id: postId }))) throw new NotFoundException('Message introuvable.');
      const result = await manager.update(
        PostFlag,
        { postId, resolvedAt: IsNull() },
        { resolvedAt: new Date(), resolvedById: moderator.id, resolution },
      );
      await this.audit.record(manager, moderator, `flags.${dto.action}`, 'post', postId, { closedFlags: result.affected ?? 0 });
      return { closedFlags: result.affected ?? 0, hidden };
    });
    if (hidden) this.posts.announceUpdate(hidden);
    if (closedFlags > 0) await this.announceCount();
    return { postId, resolution, closedFlags };
  }
}
