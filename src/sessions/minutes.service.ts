import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { AttachmentsService } from '../attachments/attachments.service';
import { PollsService } from '../polls/polls.service';
import { Post } from '../posts/post.entity';
import { Topic } from '../topics/topic.entity';
import { AgendaItem } from './entities/agenda-item.entity';
import { SessionParticipant } from './entities/session-participant.entity';
import { WorkSession } from './entities/session.entity';
import { MinutesFile, renderMinutes } from './minutes.markdown';

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

  /** `origin` prefixes the links to attached files (the instance the request reached). */
  async render(sessionId: string, origin: string, now = new Date()): Promise<MinutesFile> {
    const manager = this.dataSource.manager;
    const session = await manager.findOneBy(WorkSession, { id: sessionId });
    if (!session) throw new NotFoundException('Session not found');
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

    return renderMinutes({
      session,
      agenda: items.map((item) => ({
        item,
        topicTitle: item.topicId ? (topicTitles.get(item.topicId) ?? null) : null,
        posts: postsByThread.get(item.threadId) ?? [],
      })),
      participants: participants.map((participant) => participant.user),
      polls,
      files: { session: (await this.attachments.ofOwners('session', [sessionId])).get(sessionId) ?? [], origin },
      generatedAt: now,
    });
  }
}
