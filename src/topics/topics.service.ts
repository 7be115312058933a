import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { isUUID } from 'class-validator';
import { EntityManager, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { EncodedJson, hashOf } from '../common/http/encoded-json';
import { RevisionCache } from '../common/revision-cache';
import { slugify } from '../common/text';
import { Database } from '../database/database.service';
import { Revisions } from '../database/revisions';
import { DomainEventBus } from '../events/domain-events';
import { ReadStateService } from '../follow-up/read-state.service';
import { Thread } from '../threads/thread.entity';
import type { User } from '../users/user.entity';
import { CreateTopicDto, UpdateTopicDto } from './dto/topic.dto';
import { Topic } from './topic.entity';
import { toTopicView, TopicView } from './topic.view';

/** The topic list everybody shares, in pieces the reader's own counts are put between. */
interface SharedTopicList {
  topicIds: string[];
  openTopics: string[];
  hash: string;
  size: number;
}

@Injectable()
export class TopicsService {
  /** The two lists (with and without the archived topics), as JSON. */
  private readonly lists = new RevisionCache<SharedTopicList>(2 ** 20, (list) => list.size);

  constructor(
    @InjectRepository(Topic) private readonly topics: Repository<Topic>,
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly events: DomainEventBus,
    private readonly readState: ReadStateService,
  ) {}

  /**
   * The list as JSON, read from the database again only once something changed: every page of the client asks for it.
   * Every write that changes a topic or the threads counted in one bumps the `topics` revision in its transaction.
   * The topics' JSON is shared by everybody; each reader's unreadCount closes each topic's object.
   */
  async listAsJson(reader: User, includeArchived: boolean): Promise<EncodedJson> {
    const [shared, unread] = await Promise.all([this.sharedList(includeArchived), this.readState.topicUnreadCounts(reader.id)]);
    const counts = shared.topicIds.map((id) => unread.get(id) ?? 0);
    // one buffer: a page of a few kilobytes costs less written at once than as two small writes per topic
    const json = `[${shared.openTopics.map((topic, index) => `${topic}"unreadCount":${counts[index]}}`).join('')}]`;
    return { parts: [Buffer.from(json)], etag: `W/"${hashOf(`${shared.hash}:${counts.join(',')}`)}"` };
  }

  private async sharedList(includeArchived: boolean): Promise<SharedTopicList> {
    const revision = await Revisions.read(this.topics.manager, 'topics');
    return this.lists.getOrMake(includeArchived ? 'all' : 'current', revision, async () => {
      const topics = await this.list(includeArchived);
      // each topic's object left open (`{…,`), for the reader's count to close it
      const openTopics = topics.map((topic, index) => `${index === 0 ? '' : ','}${JSON.stringify(topic).slice(0, -1)},`);
      const json = JSON.stringify(topics);
      return { topicIds: topics.map((topic) => topic.id), openTopics, hash: hashOf(json), size: json.length };
    });
  }

  /** Pinned first, then by position; archived topics only when asked. */
  private async list(includeArchived: boolean): Promise<TopicView[]> {
    const topics = await this.topics.find({
      where: includeArchived ? {} : { archived: false },
      order: { pinned: 'DESC', position: 'ASC', title: 'ASC' },
    });
    const counts = await this.threadCounts(
      this.topics.manager,
      topics.map((topic) => topic.id),
    );
    return topics.map((topic) => toTopicView(topic, counts.get(topic.id) ?? 0));
  }

  async getEntity(id: string): Promise<Topic> {
    const topic = await this.topics.findOneBy({ id });
    if (!topic) throw new NotFoundException('Thème introuvable.');
    return topic;
  }

  /** A topic named by id or slug (the practice filters accept both). */
  async resolve(idOrSlug: string): Promise<Topic> {
    const topic = await this.topics.findOneBy(isUUID(idOrSlug) ? { id: idOrSlug } : { slug: idOrSlug });
    if (!topic) throw new NotFoundException('Thème introuvable.');
    return topic;
  }

  async create(moderator: User, dto: CreateTopicDto): Promise<TopicView> {
    const view = await this.database.write(async (manager) => {
      const last = await manager.findOne(Topic, { where: {}, order: { position: 'DESC' } });
      const topic = await manager.save(
        Topic,
        manager.create(Topic, {
          title: dto.title,
          description: dto.description ?? '',
          slug: await uniqueSlug(manager, dto.title),
          position: last ? last.position + 1 : 0,
        }),
      );
      await Revisions.bump(manager, 'topics');
      await this.audit.record(manager, moderator, 'topic.create', 'topic', topic.id, { title: topic.title });
      return toTopicView(topic, 0);
    });
    this.events.emit('topic.updated', view);
    return view;
  }

  async update(moderator: User, id: string, dto: UpdateTopicDto): Promise<TopicView> {
    const view = await this.database.write(async (manager) => {
      const topic = await manager.findOneBy(Topic, { id });
      if (!topic) throw new NotFoundException('Thème introuvable.');
      const changes: Record<string, unknown> = {};
      if (dto.title !== undefined && dto.title !== topic.title) {
        topic.title = dto.title;
        topic.slug = await uniqueSlug(manager, topic.title, topic.id);
        changes.title = topic.title;
      }
      if (dto.description !== undefined) topic.description = dto.description;
      for (const flag of ['pinned', 'locked', 'archived'] as const) {
        const value = dto[flag];
        if (value !== undefined && value !== topic[flag]) {
          topic[flag] = value;
          changes[flag] = value;
        }
      }
      await manager.save(Topic, topic);
      if (dto.position !== undefined) {
        await moveTopic(manager, topic, dto.position);
        changes.position = topic.position;
      }
      await Revisions.bump(manager, 'topics');
      await this.audit.record(manager, moderator, 'topic.update', 'topic', topic.id, changes);
      const counts = await this.threadCounts(manager, [topic.id]);
      return toTopicView(topic, counts.get(topic.id) ?? 0);
    });
    this.events.emit('topic.updated', view);
    return view;
  }

  private async threadCounts(manager: EntityManager, topicIds: string[]): Promise<Map<string, number>> {
    if (topicIds.length === 0) return new Map();
    const rows = await manager
      .createQueryBuilder(Thread, 'thread')
      .select('thread.topicId', 'topicId')
      .addSelect('COUNT(*)', 'count')
      .where('thread.topicId IN (:...topicIds)', { topicIds })
      .groupBy('thread.topicId')
      .getRawMany<{ topicId: string; count: string | number }>();
    return new Map(rows.map((row) => [row.topicId, Number(row.count)]));
  }

  /** Used by the seed, which has its own transaction. */
  async ensure(manager: EntityManager, title: string, description: string, position: number): Promise<Topic> {
    const slug = slugify(title);
    const existing = await manager.findOneBy(Topic, { slug });
    if (existing) return existing;
    await Revisions.bump(manager, 'topics');
    return manager.save(Topic, manager.create(Topic, { title, description, slug, position }));
  }
}

async function uniqueSlug(manager: EntityManager, title: string, ownId?: string): Promise<string> {
  const base = slugify(title);
  for (let suffix = 1; suffix < 1000; suffix++) {
    const candidate = suffix === 1 ? base : `${base}-${suffix}`;
    const holder = await manager.findOneBy(Topic, { slug: candidate });
    if (!holder || holder.id === ownId) return candidate;
  }
  throw new ConflictException('Trop de thèmes portent déjà ce titre.');
}

/** Puts the topic at the asked position among all topics and renumbers the others 0, 1, 2… */
async function moveTopic(manager: EntityManager, topic: Topic, position: number): Promise<void> {
  const ordered = await manager.find(Topic, { order: { position: 'ASC', title: 'ASC' } });
  const others = ordered.filter((other) => other.id !== topic.id);
  const target = Math.min(position, others.length);
  others.splice(target, 0, topic);
  for (const [index, each] of others.entries()) {
    if (each.position !== index || each.id === topic.id) {
      each.position = index;
      await manager.update(Topic, { id: each.id }, { position: index });
    }
  }
  topic.position = target;
}
