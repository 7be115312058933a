import { Injectable, NotFoundException } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { MinutesShape } from '../common/http-views';
import { renderMarkdown } from '../markdown/markdown';
import { DataSource, In } from 'typeorm';
import { AttachmentsService } from '../attachments/attachments.service';
import { PollsService } from '../polls/polls.service';
import { AuditEntry } from '../audit/audit-entry.entity';
import { Post } from '../posts/post.entity';
import { User } from '../users/user.entity';
import { Topic } from '../topics/topic.entity';
import { AgendaItem } from './entities/agenda-item.entity';
import { SessionParticipant } from './entities/session-participant.entity';
import { WorkSession } from './entities/session.entity';
import { MinutesFile, renderMinutes } from './minutes.markdown';

export class MinutesView implements MinutesShape {
  @ApiProperty({ description: 'The name the Markdown download takes' }) fileName: string;
  @ApiProperty({ description: 'The minutes in French Markdown, as GET /api/sessions/:id/minutes answers them' }) markdown: string;
  @ApiProperty({ description: 'The Markdown cooked into safe HTML, for the screen and printing' }) html: string;
}

/** Audit actions that mean running the session (not scheduling or editing it beforehand). */
const RUNNING_ACTIONS = ['session.start', 'session.advance', 'session.back', 'session.close', 'session.item.update'];

/** Threads per IN (…) list: an agenda has at most 50 items, so one query in practice. */
const IN_CHUNK = 500;

/** Gathers what the minutes need in a fixed number of queries (never one per post), then renders them. */
@Injectable()
export class MinutesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly polls: PollsService,
    private readonly attachments: AttachmentsService,
  ) {}

  async renderForScreen(sessionId: string, origin: string): Promise<MinutesView> {
    const { fileName, markdown } = await this.render(sessionId, origin);
    return { fileName, markdown, html: renderMarkdown(markdown) };
  }

  /** `origin` prefixes the links to attached files (the instance the request reached). */
  async render(sessionId: string, origin: string, now = new Date()): Promise<MinutesFile> {
    const manager = this.dataSource.manager;
    const session = await manager.findOneBy(WorkSession, { id: sessionId });
    if (!session) throw new NotFoundException('Séance introuvable.');
    const items = await manager.find(AgendaItem, { where: { sessionId }, order: { position: 'ASC' } });

    const topicIds = [...new Set(items.map((item) => item.topicId).filter((id): id is string => id !== null))];
    const topics = topicIds.length > 0 ? await manager.find(Topic, { where: { id: In(topicIds) }, select: { id: true, title: true } }) : [];
    const topicTitles = new Map(topics.map((topic) => [topic.id, topic.title]));

    const postsByThread = new Map<string, Post[]>();
    const threadIds = items.map((item) => item.threadId);
    for (let start = 0; start < threadIds.length; start += IN_CHUNK) {
      const posts = await manager.find(Post, {
        where: { threadId: In(threadIds.slice(start, start + IN_CHUNK)) },
        relations: { author: { metropolis: true }, attachments: { uploader: true } },
        order: { seq: 'ASC' },
      });
      for (const post of posts) postsByThread.set(post.threadId, [...(postsByThread.get(post.threadId) ?? []), post]);
    }

    const participants = await manager.find(SessionParticipant, { where: { sessionId }, relations: { user: { metropolis: true } } });
    const polls = await this.polls.listForSession(undefined, sessionId);
    const moderators = await this.moderatorsWhoRan(sessionId);

    return renderMinutes({
      session,
      agenda: items.map((item) => ({
        item,
        topicTitle: item.topicId ? (topicTitles.get(item.topicId) ?? null) : null,
        posts: postsByThread.get(item.threadId) ?? [],
      })),
      participants: participants.map((participant) => participant.user),
      polls,
      moderators,
      files: { session: (await this.attachments.ofOwners('session', [sessionId])).get(sessionId) ?? [], origin },
      generatedAt: now,
    });
  }

  /** The people who started, moved along, closed the session or wrote its decisions, from the audit log, first acting first. */
  private async moderatorsWhoRan(sessionId: string): Promise<User[]> {
    const entries = await this.dataSource.manager.find(AuditEntry, {
      where: { targetType: 'session', targetId: sessionId, action: In(RUNNING_ACTIONS) },
      order: { createdAt: 'ASC' },
      select: { actorId: true },
    });
    const ids = [...new Set(entries.map((entry) => entry.actorId))];
    if (ids.length === 0) return [];
    const users = new Map(
      (await this.dataSource.manager.find(User, { where: { id: In(ids) }, relations: { metropolis: true } })).map((user) => [user.id, user]),
    );
    return ids.flatMap((id) => users.get(id) ?? []);
  }
}
