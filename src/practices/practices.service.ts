import { BadRequestException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { isUUID } from 'class-validator';
import { EntityManager, In, Repository, SelectQueryBuilder } from 'typeorm';
import { AttachmentsService } from '../attachments/attachments.service';
import { Attachment } from '../attachments/attachment.entity';
import { AuditService } from '../audit/audit.service';
import { decodeCursor, Page, pageSize } from '../common/http/pagination';
import { idOfSlugOrId } from '../common/id-or-slug';
import { hasRole } from '../common/roles';
import { emptyAsNull } from '../common/text';
import { renderMarkdown } from '../markdown/markdown';
import { Database } from '../database/database.service';
import { Revisions } from '../database/revisions';
import { Metropolis } from '../metropolises/metropolis.entity';
import { toMetropolisSummary } from '../metropolises/metropolis.view';
import { parseQuery } from '../search/french-text';
import { indexDocuments, practiceDocument } from '../search/search-index';
import { matchingIdsSql } from '../search/search-query';
import { Thread } from '../threads/thread.entity';
import { NotificationsService } from '../notifications/notifications.service';
import { ThreadsService } from '../threads/threads.service';
import { Topic } from '../topics/topic.entity';
import type { User } from '../users/user.entity';
import { CreatePracticeDto, ListPracticesQuery, PracticeFilterQuery, PracticeGridQuery, UpdatePracticeDto } from './dto/practice.dto';
import { PracticeLever } from './entities/practice-lever.entity';
import { Practice } from './entities/practice.entity';
import { LEVERS, type Lever } from './levers';
import { leverViews, PracticeCellView, PracticeGridView, PracticeView, toPracticeView } from './practice.view';

const VIEW_RELATIONS = { metropolis: true, topics: true, levers: true, author: { metropolis: true } } as const;

/** Ids per IN (…) list: far below SQLite's and PostgreSQL's parameter limits. */
const IN_CHUNK = 500;

@Injectable()
export class PracticesService {
  constructor(
    @InjectRepository(Practice) private readonly practices: Repository<Practice>,
    private readonly database: Database,
    private readonly threads: ThreadsService,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly attachments: AttachmentsService,
  ) {}

  /** The catalogue, filtered, most recently updated first, by pages. */
  async list(query: ListPracticesQuery): Promise<Page<PracticeView>> {
    const limit = pageSize(query);
    const after = decodeCursor(query.cursor, ['time', 'uuid']);
    const builder = await this.filtered(query);
    const sortKey = this.sortKey();
    if (after) {
      builder.andWhere(`(${sortKey} < :at OR (${sortKey} = :at AND practice.id < :afterId))`, {
        at: this.database.timestampParameter(after[0]),
        afterId: after[1],
      });
    }
    const rows = await builder
      .select('practice.id', 'id')
      .addSelect('practice.updatedAt', 'updatedAt')
      .orderBy(sortKey, 'DESC')
      .addOrderBy('practice.id', 'DESC')
      .limit(limit + 1)
      .getRawMany<{ id: string; updatedAt: Date | string }>();
    const page = Page.fromRows(
      rows,
      limit,
      (row) => row.id,
      (row) => [rawTime(row.updatedAt).toISOString(), row.id],
    );
    return new Page(await this.views(page.items), page.nextCursor);
  }

  /** Every practice matching the filters, in the list's order: what the CSV and JSON exports carry. */
  async listAll(filter: PracticeFilterQuery): Promise<PracticeView[]> {
    const builder = await this.filtered(filter);
    const rows = await builder
      .select('practice.id', 'id')
      .orderBy(this.sortKey(), 'DESC')
      .addOrderBy('practice.id', 'DESC')
      .getRawMany<{ id: string }>();
    return this.views(rows.map((row) => row.id));
  }

  /** Practices published after a time, the latest first: « what's new » since a person's previous visit. */
  async publishedSince(since: Date, limit: number): Promise<PracticeView[]> {
    const rows = await this.practices
      .createQueryBuilder('practice')
      .select('practice.id', 'id')
      .where('practice.createdAt > :since', { since: this.database.timestampParameter(since) })
      .orderBy('practice.createdAt', 'DESC')
      .addOrderBy('practice.id', 'DESC')
      .limit(limit)
      .getRawMany<{ id: string }>();
    return this.views(rows.map((row) => row.id));
  }

  async get(id: string): Promise<PracticeView> {
    const [view] = await this.views([id]);
    if (!view) throw new NotFoundException('Pratique introuvable.');
    return view;
  }

  /** Every metropolis of the directory × the six levers, with the practices of each cell. */
  async grid(filter: PracticeGridQuery): Promise<PracticeGridView> {
    const builder = await this.filtered(filter);
    const practices = await builder.select(['practice.id', 'practice.title', 'practice.metropolisId']).orderBy('practice.title', 'ASC').getMany();
    const levers = await this.practices.manager.find(PracticeLever, { select: { practiceId: true, lever: true } });
    const leversOf = new Map<string, Lever[]>();
    for (const { practiceId, lever } of levers) leversOf.set(practiceId, [...(leversOf.get(practiceId) ?? []), lever]);

    const metropolises = await this.practices.manager.find(Metropolis);
    metropolises.sort((a, b) => a.name.localeCompare(b.name, 'fr'));
    const rows = new Map(
      metropolises.map((metropolis) => [
        metropolis.id,
        { metropolis: toMetropolisSummary(metropolis)!, counts: perLever(() => 0), total: 0, practices: perLever<PracticeCellView[]>(() => []) },
      ]),
    );
    const totals = perLever(() => 0);
    for (const practice of practices) {
      const row = rows.get(practice.metropolisId);
      if (!row) continue;
      row.total += 1;
      for (const lever of leversOf.get(practice.id) ?? []) {
        row.counts[lever] += 1;
        row.practices[lever].push({ id: practice.id, title: practice.title });
        totals[lever] += 1;
      }
    }
    return { levers: leverViews(), rows: [...rows.values()], totals };
  }

  async create(author: User, dto: CreatePracticeDto): Promise<PracticeView> {
    const isModerator = hasRole(author.role, 'moderator');
    if (dto.metropolisId !== undefined && !isModerator) {
      throw new ForbiddenException('Seuls les modérateurs choisissent la métropole d’une pratique : sans metropolisId, c’est la vôtre.');
    }
    const metropolisId = dto.metropolisId ?? author.metropolisId;
    if (!metropolisId) {
      throw new BadRequestException([
        isModerator
          ? 'metropolisId est obligatoire : votre compte n’appartient à aucune métropole, indiquez celle de la pratique.'
          : 'Une pratique appartient à une métropole et votre compte à aucune : demandez à un modérateur de la publier pour votre métropole.',
      ]);
    }
    const id = await this.database.write(async (manager) => {
      if (!(await manager.existsBy(Metropolis, { id: metropolisId }))) throw new NotFoundException('Métropole introuvable.');
      const topics = await findTopics(manager, dto.topicIds ?? []);
      const { title } = dto;
      const thread = await this.threads.createThread(manager, { title, author, context: 'practice', topicId: null });
      const now = new Date();
      const fields = {
        title,
        summary: dto.summary,
        description: dto.description,
        partners: dto.partners ?? [],
      };
      const practice = await manager.save(
        Practice,
        manager.create(Practice, {
          ...fields,
          descriptionHtml: renderMarkdown(fields.description),
          metropolisId,
          stage: dto.stage,
          links: dto.links ?? [],
          contact: emptyAsNull(dto.contact),
          threadId: thread.id,
          authorId: author.id,
          // set here rather than by the database, so that every time has the millisecond form the list's cursor compares
          createdAt: now,
          updatedAt: now,
        }),
      );
      await setLevers(manager, practice.id, dto.levers ?? []);
      await setTopics(manager, practice.id, [], topics);
      await this.notifications.notifyEveryone(manager, {
        kind: 'practice-published',
        actorId: author.id,
        practiceId: practice.id,
        threadId: thread.id,
      });
      if (dto.attachmentIds?.length) await this.attachments.link(manager, author, 'practice', practice.id, dto.attachmentIds);
      await indexDocuments(manager, [practiceDocument(practice)]);
      return practice.id;
    });
    return this.get(id);
  }

  /** The author, a participant of the practice's metropolis, or a moderator; moving it to another metropolis is for moderators. */
  async update(editor: User, id: string, dto: UpdatePracticeDto): Promise<PracticeView> {
    const removedFiles = await this.database.write(async (manager) => {
      const practice = await manager.findOneBy(Practice, { id });
      if (!practice) throw new NotFoundException('Pratique introuvable.');
      const isModerator = hasRole(editor.role, 'moderator');
      if (!isModerator && practice.authorId !== editor.id && practice.metropolisId !== editor.metropolisId) {
        throw new ForbiddenException('Seuls son auteur, les participants de sa métropole et les modérateurs peuvent modifier cette pratique.');
      }
      const changed: string[] = [];
      if (dto.metropolisId !== undefined && dto.metropolisId !== practice.metropolisId) {
        if (!isModerator) throw new ForbiddenException('Seuls les modérateurs peuvent déplacer une pratique vers une autre métropole.');
        if (!(await manager.existsBy(Metropolis, { id: dto.metropolisId }))) throw new NotFoundException('Métropole introuvable.');
        practice.metropolisId = dto.metropolisId;
        changed.push('metropolisId');
      }
      const texts = {
        title: dto.title,
        summary: dto.summary,
        description: dto.description,
        stage: dto.stage,
        contact: dto.contact === undefined ? undefined : emptyAsNull(dto.contact),
      };
      for (const [field, value] of Object.entries(texts) as Array<[keyof typeof texts, string | null | undefined]>) {
        if (value !== undefined && value !== practice[field]) {
          (practice as unknown as Record<string, unknown>)[field] = value;
          changed.push(field);
        }
      }
      for (const [field, value] of [
        ['partners', dto.partners],
        ['links', dto.links],
      ] as const) {
        if (value !== undefined && !sameList(value, practice[field])) {
          practice[field] = [...value];
          changed.push(field);
        }
      }
      if (dto.levers !== undefined) {
        const current = await manager.find(PracticeLever, { where: { practiceId: id } });
        if (
          !sameSet(
            dto.levers,
            current.map((lever) => lever.lever),
          )
        ) {
          await setLevers(manager, id, dto.levers);
          changed.push('levers');
        }
      }
      if (dto.topicIds !== undefined) {
        const current = await currentTopicIds(manager, id);
        if (!sameSet(dto.topicIds, current)) {
          await setTopics(manager, id, current, await findTopics(manager, dto.topicIds));
          changed.push('topicIds');
        }
      }
      const removed: string[] = [];
      if (dto.attachmentIds !== undefined) {
        const before = (await this.attachments.ofOwner(manager, 'practice', id)).map((file) => file.id);
        const linked = await this.attachments.link(manager, editor, 'practice', id, dto.attachmentIds);
        removed.push(...linked.removed);
        if (
          !sameList(
            before,
            linked.attachments.map((file) => file.id),
          )
        )
          changed.push('attachmentIds');
      }
      if (changed.length === 0) return removed;
      if (changed.includes('description')) practice.descriptionHtml = renderMarkdown(practice.description);
      practice.updatedAt = new Date();
      await manager.save(Practice, practice);
      await indexDocuments(manager, [practiceDocument(practice)]);
      if (changed.includes('title')) {
        // the discussion thread bears the practice's title
        await manager.update(Thread, { id: practice.threadId }, { title: practice.title });
        await Revisions.bumpThreads(manager, [practice.threadId]);
      }
      if (isModerator && practice.authorId !== editor.id) {
        await this.audit.record(manager, editor, 'practice.update', 'practice', id, { fields: changed, metropolisId: practice.metropolisId });
      }
      return removed;
    });
    await this.attachments.purge(removedFiles);
    return this.get(id);
  }

  /**
   * The filters as a query on `practice`, combined with AND. An unknown metropolis or topic is a 404 that names the
   * parameter: a stale link or a typo should not look like an empty catalogue.
   */
  private async filtered(filter: Partial<PracticeFilterQuery>): Promise<SelectQueryBuilder<Practice>> {
    const manager = this.practices.manager;
    const builder = this.practices.createQueryBuilder('practice');
    if (filter.metropolis !== undefined) {
      builder.andWhere('practice.metropolisId = :metropolisId', { metropolisId: await idOfSlugOrId(manager, 'metropolis', filter.metropolis) });
    }
    if (filter.topic !== undefined) {
      builder.andWhere('EXISTS (SELECT 1 FROM practice_topics pt WHERE pt."practiceId" = practice.id AND pt."topicId" = :topicId)', {
        topicId: await idOfSlugOrId(manager, 'topic', filter.topic),
      });
    }
    if (filter.lever !== undefined) {
      builder.andWhere('EXISTS (SELECT 1 FROM practice_levers pl WHERE pl."practiceId" = practice.id AND pl.lever = :lever)', {
        lever: filter.lever,
      });
    }
    if (filter.stage !== undefined) builder.andWhere('practice.stage = :stage', { stage: filter.stage });
    if (filter.q !== undefined) {
      // the words as search reads them, on the same full-text index; stop words alone match nothing
      const query = parseQuery(filter.q);
      if (query.include.length === 0) builder.andWhere('1 = 0');
      else {
        const { sql, parameters } = matchingIdsSql(this.database.isSqlite ? 'sqlite' : 'postgres', query, 'practice');
        builder.andWhere(`practice.id IN (${sql})`, parameters);
      }
    }
    return builder;
  }

  /**
   * What the list sorts on. SQLite keeps times as text, with or without milliseconds depending on who wrote them
   * (the seed lets the database fill them in); strftime gives them all one form, so comparing with a cursor is exact.
   */
  private sortKey(): string {
    return this.database.isSqlite ? "strftime('%Y-%m-%d %H:%M:%f', practice.updatedAt)" : 'practice.updatedAt';
  }

  /** Views of the practices with these ids, in the same order; unknown ids are left out. */
  private async views(ids: string[]): Promise<PracticeView[]> {
    const manager = this.practices.manager;
    const found = new Map<string, Practice>();
    const postCounts = new Map<string, number>();
    const files = new Map<string, Attachment[]>();
    for (let start = 0; start < ids.length; start += IN_CHUNK) {
      const chunk = ids.slice(start, start + IN_CHUNK).filter((id) => isUUID(id));
      if (chunk.length === 0) continue;
      const practices = await manager.find(Practice, { where: { id: In(chunk) }, relations: VIEW_RELATIONS });
      for (const practice of practices) found.set(practice.id, practice);
      const threads = await manager.find(Thread, {
        where: { id: In(practices.map((practice) => practice.threadId)) },
        select: { id: true, postCount: true },
      });
      for (const thread of threads) postCounts.set(thread.id, thread.postCount);
      for (const [practiceId, list] of await this.attachments.ofOwners('practice', chunk)) files.set(practiceId, list);
    }
    return ids.flatMap((id) => {
      const practice = found.get(id);
      return practice ? [toPracticeView(practice, postCounts.get(practice.threadId) ?? 0, files.get(practice.id) ?? [])] : [];
    });
  }
}

function perLever<T>(initial: () => T): Record<Lever, T> {
  return Object.fromEntries(LEVERS.map((lever) => [lever, initial()])) as Record<Lever, T>;
}

/** A time read raw: PostgreSQL gives a Date, SQLite the UTC text it stores. */
function rawTime(value: Date | string): Date {
  if (value instanceof Date) return value;
  return new Date(/^\d{4}-\d\d-\d\d \d/.test(value) ? `${value.replace(' ', 'T')}Z` : value);
}

async function findTopics(manager: EntityManager, ids: string[]): Promise<Topic[]> {
  if (ids.length === 0) return [];
  const topics = await manager.findBy(Topic, { id: In(ids) });
  const missing = ids.filter((id) => !topics.some((topic) => topic.id === id));
  if (missing.length > 0) throw new NotFoundException(`Thème introuvable : ${missing.join(', ')}.`);
  return topics;
}

async function currentTopicIds(manager: EntityManager, practiceId: string): Promise<string[]> {
  return manager
    .createQueryBuilder()
    .relation(Practice, 'topics')
    .of(practiceId)
    .loadMany<Topic>()
    .then((topics) => topics.map((topic) => topic.id));
}

async function setTopics(manager: EntityManager, practiceId: string, currentIds: string[], topics: Topic[]): Promise<void> {
  const wanted = topics.map((topic) => topic.id);
  const added = wanted.filter((id) => !currentIds.includes(id));
  const removed = currentIds.filter((id) => !wanted.includes(id));
  await manager.createQueryBuilder().relation(Practice, 'topics').of(practiceId).addAndRemove(added, removed);
}

async function setLevers(manager: EntityManager, practiceId: string, levers: Lever[]): Promise<void> {
  await manager.delete(PracticeLever, { practiceId });
  if (levers.length > 0)
    await manager.insert(
      PracticeLever,
      levers.map((lever) => ({ practiceId, lever })),
    );
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const set = new Set(b);
  return a.length === set.size && a.every((value) => set.has(value));
}
