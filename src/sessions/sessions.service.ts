import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { AttachmentsService } from '../attachments/attachments.service';
import { AuditService } from '../audit/audit.service';
import { decodeCursor, encodeCursor, Page, pageSize } from '../common/http/pagination';
import { emptyAsNull } from '../common/text';
import { renderMarkdown } from '../markdown/markdown';
import { Database } from '../database/database.service';
import { DomainEventBus } from '../events/domain-events';
import { PresenceService } from '../live/presence.service';
import { NotificationsService } from '../notifications/notifications.service';
import { Poll } from '../polls/entities/poll.entity';
import { PollsService } from '../polls/polls.service';
import { Thread } from '../threads/thread.entity';
import { removeDocuments } from '../search/search-index';
import { ThreadsService } from '../threads/threads.service';
import { Topic } from '../topics/topic.entity';
import type { User } from '../users/user.entity';
import { AgendaItemDto, CreateSessionDto, ListSessionsQuery, NewAgendaItemDto, UpdateAgendaItemDto, UpdateSessionDto } from './dto/session.dto';
import { AgendaItem } from './entities/agenda-item.entity';
import { SessionParticipant } from './entities/session-participant.entity';
import { SESSION_STATUS_LABELS, SessionStatus, WorkSession } from './entities/session.entity';
import { findLocked } from '../database/row-lock';
import { Revisions } from '../database/revisions';
import { SessionAttendanceView, SessionView, toSessionView } from './session.view';

/** Live sessions first, then the coming ones (soonest first), then the past ones (latest first). */
const STATUS_RANK = "CASE session.status WHEN 'live' THEN 0 WHEN 'scheduled' THEN 1 ELSE 2 END";
const RANKS: Record<SessionStatus, number> = { live: 0, scheduled: 1, closed: 2 };

export type SessionTransition = 'start' | 'advance' | 'back' | 'close';

/**
 * Working-group sessions: scheduling, the agenda (each item with its own discussion thread), attendance and the
 * live state machine scheduled → live → closed. Every change a room should see is announced as `session.updated`
 * once committed.
 */
@Injectable()
export class SessionsService {
  constructor(
    @InjectRepository(WorkSession) private readonly sessions: Repository<WorkSession>,
    private readonly database: Database,
    private readonly threads: ThreadsService,
    private readonly polls: PollsService,
    private readonly audit: AuditService,
    private readonly events: DomainEventBus,
    private readonly presence: PresenceService,
    private readonly notifications: NotificationsService,
    private readonly attachments: AttachmentsService,
  ) {}

  async list(reader: User, query: ListSessionsQuery): Promise<Page<SessionView>> {
    const limit = pageSize(query);
    const after = parseCursor(query.cursor);
    const builder = this.sessions
      .createQueryBuilder('session')
      .orderBy(STATUS_RANK, 'ASC')
      .addOrderBy("CASE WHEN session.status = 'closed' THEN NULL ELSE session.startsAt END", 'ASC')
      .addOrderBy('session.startsAt', 'DESC')
      .addOrderBy('session.id', 'ASC')
      .limit(limit + 1);
    if (query.status) builder.andWhere('session.status = :status', { status: query.status });
    if (after) {
      // closed sessions run backwards in time, the others forwards
      const later = after.rank === RANKS.closed ? '<' : '>';
      builder.andWhere(
        `(${STATUS_RANK} > :rank OR (${STATUS_RANK} = :rank AND (session.startsAt ${later} :at OR (session.startsAt = :at AND session.id > :afterId))))`,
        { rank: after.rank, at: this.database.timestampParameter(after.at), afterId: after.id },
      );
    }
    const rows = await builder.getMany();
    const hasMore = rows.length > limit;
    const kept = rows.slice(0, limit);
    const last = kept[kept.length - 1];
    const cursor = hasMore ? encodeSessionCursor(last) : null;
    return new Page(await this.views(kept, reader), cursor);
  }

  /** The Session of the contract; with a reader, also whether they joined. The live gateway answers session:join with it. */
  async getView(id: string, reader?: User): Promise<SessionView> {
    const session = await this.sessions.findOneBy({ id });
    if (!session) throw new NotFoundException('Séance introuvable.');
    const [view] = await this.views([session], reader);
    return view;
  }

  /**
   * The people who joined, counted by metropolis: the most represented first, then network staff (no metropolis).
   * An empty list when nobody joined on Essor, as for the seeded 2018 and 2019 sessions.
   */
  async attendance(id: string): Promise<SessionAttendanceView[]> {
    if (!(await this.sessions.existsBy({ id }))) throw new NotFoundException('Séance introuvable.');
    const rows = await this.sessions.manager
      .createQueryBuilder(SessionParticipant, 'participant')
      .innerJoin('participant.user', 'user')
      .leftJoin('user.metropolis', 'metropolis')
      .select('metropolis.id', 'id')
      .addSelect('metropolis.slug', 'slug')
      .addSelect('metropolis.name', 'name')
      .addSelect('COUNT(*)', 'participants')
      .where('participant.sessionId = :id', { id })
      .groupBy('metropolis.id')
      .addGroupBy('metropolis.slug')
      .addGroupBy('metropolis.name')
      .getRawMany<{ id: string | null; slug: string | null; name: string | null; participants: number | string }>();
    return rows
      .map((row) => ({
        metropolis: row.id === null ? null : { id: row.id, slug: row.slug ?? '', name: row.name ?? '' },
        // PostgreSQL answers COUNT(*) as a string (bigint)
        participants: Number(row.participants),
      }))
      .sort(
        (a, b) =>
          Number(a.metropolis === null) - Number(b.metropolis === null) ||
          b.participants - a.participants ||
          (a.metropolis?.name ?? '').localeCompare(b.metropolis?.name ?? '', 'fr'),
      );
  }

  async create(moderator: User, dto: CreateSessionDto): Promise<SessionView> {
    const id = await this.database.write(async (manager) => {
      const startsAt = new Date(dto.startsAt);
      const endsAt = dto.endsAt ? new Date(dto.endsAt) : null;
      checkTimes(startsAt, endsAt);
      await checkTopics(manager, dto.agenda);
      const session = await manager.save(
        WorkSession,
        manager.create(WorkSession, {
          title: dto.title,
          description: dto.description ?? '',
          descriptionHtml: renderMarkdown(dto.description ?? ''),
          startsAt,
          endsAt,
          location: emptyAsNull(dto.location),
          videoUrl: emptyAsNull(dto.videoUrl),
          status: 'scheduled',
          currentItemId: null,
          createdById: moderator.id,
          startedAt: null,
          closedAt: null,
        }),
      );
      for (const [position, item] of dto.agenda.entries()) await this.addItem(manager, moderator, session.id, position, item);
      if (dto.attachmentIds?.length) await this.attachments.link(manager, moderator, 'session', session.id, dto.attachmentIds);
      await this.audit.record(manager, moderator, 'session.create', 'session', session.id, { title: session.title, agendaItems: dto.agenda.length });
      return session.id;
    });
    return this.announce(id, moderator);
  }

  async update(moderator: User, id: string, dto: UpdateSessionDto): Promise<SessionView> {
    const removedFiles = await this.database.write(async (manager) => {
      const session = await findLocked(this.database, manager, WorkSession, { id });
      if (!session) throw new NotFoundException('Séance introuvable.');
      const changed: string[] = [];
      if (dto.title !== undefined) session.title = dto.title;
      if (dto.description !== undefined) {
        session.description = dto.description;
        session.descriptionHtml = renderMarkdown(dto.description);
      }
      if (dto.location !== undefined) session.location = emptyAsNull(dto.location);
      if (dto.videoUrl !== undefined) session.videoUrl = emptyAsNull(dto.videoUrl);
      if (dto.startsAt !== undefined) session.startsAt = new Date(dto.startsAt);
      if (dto.endsAt !== undefined) session.endsAt = dto.endsAt === null ? null : new Date(dto.endsAt);
      for (const field of ['title', 'description', 'location', 'videoUrl', 'startsAt', 'endsAt'] as const) {
        if (dto[field] !== undefined) changed.push(field);
      }
      checkTimes(session.startsAt, session.endsAt);
      if (dto.agenda !== undefined) {
        if (session.status === 'closed') throw new ConflictException('L’ordre du jour d’une séance close ne change plus.');
        await this.replaceAgenda(manager, moderator, session, dto.agenda);
        changed.push('agenda');
      }
      const removed = dto.attachmentIds ? (await this.attachments.link(manager, moderator, 'session', id, dto.attachmentIds)).removed : [];
      if (dto.attachmentIds) changed.push('attachmentIds');
      await manager.save(WorkSession, session);
      await this.audit.record(manager, moderator, 'session.update', 'session', id, { fields: changed });
      return removed;
    });
    await this.attachments.purge(removedFiles);
    return this.announce(id, moderator);
  }

  /** Joining is idempotent; a closed session's attendance is final. */
  async join(user: User, id: string): Promise<SessionView> {
    await this.database.write(async (manager) => {
      await this.openForAttendance(manager, id, 'join');
      await manager.createQueryBuilder().insert().into(SessionParticipant).values({ sessionId: id, userId: user.id }).orIgnore().execute();
    });
    // the room hears the new participantCount, and everyone's attendance chart follows
    return this.announce(id, user);
  }

  /** Leaving is idempotent; a closed session's attendance is final (the minutes list it). */
  async leave(user: User, id: string): Promise<SessionView> {
    await this.database.write(async (manager) => {
      await this.openForAttendance(manager, id, 'leave');
      await manager.delete(SessionParticipant, { sessionId: id, userId: user.id });
    });
    return this.announce(id, user);
  }

  /**
   * The state machine scheduled → live → closed. start: the first item becomes current; advance: the next one
   * (the last item cannot advance); back: the previous one (the first cannot go back); close: polls still open close
   * with the session. Anything else is a 409. Each move stamps the item left (`endedAt`) and the item reached
   * (`startedAt`), so the minutes give the real timings.
   */
  async transition(moderator: User, id: string, action: SessionTransition): Promise<SessionView> {
    // who is in the room as the session starts (every instance): they need no notice that it started
    const present = action === 'start' ? new Set((await this.presence.usersIn(id)).map((user) => user.id)) : new Set<string>();
    const closedPolls = await this.database.write(async (manager) => {
      const session = await findLocked(this.database, manager, WorkSession, { id });
      if (!session) throw new NotFoundException('Séance introuvable.');
      const from = { status: session.status, currentItemId: session.currentItemId };
      const now = new Date();
      let pollIds: string[] = [];
      if (action === 'start') {
        if (session.status !== 'scheduled')
          throw new ConflictException(`Seule une séance programmée peut commencer ; celle-ci est ${SESSION_STATUS_LABELS[session.status]}.`);
        const first = await manager.findOne(AgendaItem, { where: { sessionId: id }, order: { position: 'ASC' } });
        session.status = 'live';
        session.startedAt = now;
        session.currentItemId = first?.id ?? null;
        const registered = await manager.find(SessionParticipant, { where: { sessionId: id }, select: { userId: true } });
        const absent = registered.map((participant) => participant.userId).filter((userId) => !present.has(userId));
        await this.notifications.notify(manager, absent, { kind: 'session-started', actorId: moderator.id, sessionId: id });
      } else if (action === 'advance' || action === 'back') {
        if (session.status !== 'live')
          throw new ConflictException(
            `Seule une séance en cours avance dans son ordre du jour ; celle-ci est ${SESSION_STATUS_LABELS[session.status]}.`,
          );
        const agenda = await manager.find(AgendaItem, { where: { sessionId: id }, order: { position: 'ASC' } });
        const index = agenda.findIndex((item) => item.id === session.currentItemId);
        const target = action === 'advance' ? agenda[index + 1] : index > 0 ? agenda[index - 1] : undefined;
        if (!target) {
          if (agenda.length === 0) throw new ConflictException('Cette séance n’a pas d’ordre du jour.');
          throw new ConflictException(
            action === 'advance' ? 'Le point en cours est le dernier de l’ordre du jour.' : 'Le point en cours est le premier de l’ordre du jour.',
          );
        }
        session.currentItemId = target.id;
      } else {
        if (session.status !== 'live')
          throw new ConflictException(`Seule une séance en cours peut être close ; celle-ci est ${SESSION_STATUS_LABELS[session.status]}.`);
        session.status = 'closed';
        session.closedAt = now;
        session.currentItemId = null;
        pollIds = await this.polls.closeAllOpen(manager, moderator, id);
      }
      if (from.currentItemId && from.currentItemId !== session.currentItemId)
        await manager.update(AgendaItem, { id: from.currentItemId }, { endedAt: now });
      if (session.currentItemId && session.currentItemId !== from.currentItemId) {
        await manager.update(AgendaItem, { id: session.currentItemId }, { startedAt: now, endedAt: null });
      }
      await manager.save(WorkSession, session);
      await this.audit.record(manager, moderator, `session.${action}`, 'session', id, {
        from,
        to: { status: session.status, currentItemId: session.currentItemId },
      });
      return pollIds;
    });
    const view = await this.announce(id, moderator);
    await this.polls.announce(closedPolls);
    return view;
  }

  /** « Décisions et suites » of one agenda item, written by a moderator during (or after) the session; broadcast as session:updated. */
  async updateItem(moderator: User, sessionId: string, itemId: string, dto: UpdateAgendaItemDto): Promise<SessionView> {
    await this.database.write(async (manager) => {
      const item = await manager.findOneBy(AgendaItem, { id: itemId, sessionId });
      if (!item) throw new NotFoundException('Ce point est introuvable dans l’ordre du jour de cette séance.');
      await manager.update(AgendaItem, { id: itemId }, { decisions: dto.decisions.normalize('NFC') });
      await this.audit.record(manager, moderator, 'session.item.update', 'session', sessionId, { itemId, fields: ['decisions'] });
    });
    return this.announce(sessionId, moderator);
  }

  /** Views of the sessions in the given order, their agendas, counts and the reader's attendance read in bulk. */
  private async views(sessions: WorkSession[], reader?: User): Promise<SessionView[]> {
    if (sessions.length === 0) return [];
    const manager = this.sessions.manager;
    const ids = sessions.map((session) => session.id);
    const items = await manager.find(AgendaItem, { where: { sessionId: In(ids) }, order: { position: 'ASC' } });
    const agendas = new Map<string, AgendaItem[]>();
    for (const item of items) agendas.set(item.sessionId, [...(agendas.get(item.sessionId) ?? []), item]);
    const counts = await manager
      .createQueryBuilder(SessionParticipant, 'participant')
      .select('participant.sessionId', 'sessionId')
      .addSelect('COUNT(*)', 'count')
      .where('participant.sessionId IN (:...ids)', { ids })
      .groupBy('participant.sessionId')
      .getRawMany<{ sessionId: string; count: number | string }>();
    const countOf = new Map(counts.map((row) => [row.sessionId, Number(row.count)]));
    const joined = reader
      ? new Set((await manager.find(SessionParticipant, { where: { sessionId: In(ids), userId: reader.id } })).map((row) => row.sessionId))
      : undefined;
    const files = await this.attachments.ofOwners('session', ids);
    return sessions.map((session) =>
      toSessionView(
        session,
        agendas.get(session.id) ?? [],
        countOf.get(session.id) ?? 0,
        files.get(session.id) ?? [],
        joined ? joined.has(session.id) : undefined,
      ),
    );
  }

  /** A file removed from a session through its own route: the room sees the session's documents as they are now. */
  @OnEvent('session.attachment-removed')
  async announceAttachmentRemoved({ sessionId }: { sessionId: string }): Promise<void> {
    this.events.emit('session.updated', await this.getView(sessionId));
  }

  /** Emits the committed session to its room (no reader-specific field), and answers the actor with their own view. */
  private async announce(id: string, actor: User): Promise<SessionView> {
    const view = await this.getView(id);
    this.events.emit('session.updated', view);
    const joined = await this.sessions.manager.existsBy(SessionParticipant, { sessionId: id, userId: actor.id });
    return { ...view, joined };
  }

  private async openForAttendance(manager: EntityManager, id: string, action: 'join' | 'leave'): Promise<void> {
    // FOR SHARE: people join side by side, while a close waits for them (and they for it)
    const session = await findLocked(this.database, manager, WorkSession, { id }, 'pessimistic_read');
    if (!session) throw new NotFoundException('Séance introuvable.');
    if (session.status === 'closed')
      throw new ConflictException(
        `Cette séance est close : sa liste de présence est définitive, plus personne ne peut ${action === 'join' ? 'la rejoindre' : 'la quitter'}.`,
      );
  }

  private async addItem(manager: EntityManager, author: User, sessionId: string, position: number, item: NewAgendaItemDto): Promise<AgendaItem> {
    const { title } = item;
    const topicId = item.topicId ?? null;
    const thread = await this.threads.createThread(manager, { title, author, context: 'session', topicId });
    return manager.save(
      AgendaItem,
      manager.create(AgendaItem, { sessionId, position, title, topicId, threadId: thread.id, durationMinutes: item.durationMinutes ?? null }),
    );
  }

  /**
   * Replaces the agenda with `items`, in that order. An item given back by id keeps its thread (renamed and
   * re-linked with the item); a field it leaves out keeps its value. An item left out is deleted with its thread,
   * but never if that would lose something: posts in its discussion, poll results, or its being current in a live
   * session — those are a 409 naming the items.
   */
  private async replaceAgenda(manager: EntityManager, moderator: User, session: WorkSession, items: AgendaItemDto[]): Promise<void> {
    const existing = await manager.find(AgendaItem, { where: { sessionId: session.id }, order: { position: 'ASC' } });
    const byId = new Map(existing.map((item) => [item.id, item]));
    const kept = new Set<string>();
    const errors: string[] = [];
    for (const [index, item] of items.entries()) {
      if (item.id === undefined) continue;
      if (!byId.has(item.id)) errors.push(`agenda.${index}.id doit désigner un point de cette séance.`);
      else if (kept.has(item.id)) errors.push(`agenda.${index}.id désigne un point déjà listé.`);
      kept.add(item.id);
    }
    if (errors.length > 0) throw new BadRequestException(errors);
    await checkTopics(manager, items);

    const removed = existing.filter((item) => !kept.has(item.id));
    if (removed.length > 0) {
      const current = removed.find((item) => item.id === session.currentItemId);
      if (current) throw new ConflictException(`« ${current.title} » est le point en cours de cette séance : passez au suivant avant de le retirer.`);
      const threads = await manager.find(Thread, { where: { id: In(removed.map((item) => item.threadId)) }, select: { id: true, postCount: true } });
      const discussed = new Set(threads.filter((thread) => thread.postCount > 0).map((thread) => thread.id));
      const polled = new Set(
        (await manager.find(Poll, { where: { agendaItemId: In(removed.map((item) => item.id)) }, select: { id: true, agendaItemId: true } })).map(
          (poll) => poll.agendaItemId,
        ),
      );
      const blocked = removed.filter((item) => discussed.has(item.threadId) || polled.has(item.id));
      if (blocked.length > 0) throw cannotRemove(blocked);
      await manager.delete(AgendaItem, { id: In(removed.map((item) => item.id)) });
      // postCount = 0 again in the DELETE itself: a post that slipped in meanwhile makes this a 409, not a loss
      const deleted = await manager.delete(Thread, { id: In(removed.map((item) => item.threadId)), postCount: 0 });
      if ((deleted.affected ?? removed.length) !== removed.length) throw cannotRemove(removed);
      await removeDocuments(
        manager,
        removed.map((item) => item.threadId),
      );
      // a removed thread that was in a topic leaves its count
      if (removed.some((item) => item.topicId !== null)) await Revisions.bump(manager, 'topics');
    }

    for (const [position, item] of items.entries()) {
      const current = item.id === undefined ? undefined : byId.get(item.id);
      if (!current) {
        await this.addItem(manager, moderator, session.id, position, item);
        continue;
      }
      const { title } = item;
      const topicId = item.topicId === undefined ? current.topicId : item.topicId;
      const durationMinutes = item.durationMinutes === undefined ? current.durationMinutes : item.durationMinutes;
      if (title !== current.title || topicId !== current.topicId) {
        await this.threads.retitle(manager, current.threadId, { title, topicId });
        await Revisions.bumpThreads(manager, [current.threadId]);
        // the thread moves from one topic's count to another's
        if (topicId !== current.topicId) await Revisions.bump(manager, 'topics');
      }
      if (position !== current.position || title !== current.title || topicId !== current.topicId || durationMinutes !== current.durationMinutes) {
        await manager.update(AgendaItem, { id: current.id }, { position, title, topicId, durationMinutes });
      }
    }
  }
}

function cannotRemove(items: AgendaItem[]): ConflictException {
  const titles = items.map((item) => `« ${item.title} »`).join(', ');
  return new ConflictException(
    `Ces points ont une discussion ou des résultats de sondage, qui seraient perdus : ${titles}. Gardez-les (renvoyez leur id).`,
  );
}

function checkTimes(startsAt: Date, endsAt: Date | null): void {
  if (endsAt && endsAt.getTime() <= startsAt.getTime()) throw new BadRequestException(['endsAt doit venir après startsAt.']);
}

/** Every topic an agenda names must exist: a 404 naming the item. */
async function checkTopics(manager: EntityManager, items: ReadonlyArray<{ topicId?: string | null }>): Promise<void> {
  const wanted = [...new Set(items.map((item) => item.topicId).filter((id): id is string => typeof id === 'string'))];
  if (wanted.length === 0) return;
  const found = new Set((await manager.find(Topic, { where: { id: In(wanted) }, select: { id: true } })).map((topic) => topic.id));
  const missing = items.flatMap((item, index) => (item.topicId && !found.has(item.topicId) ? [`agenda.${index}.topicId`] : []));
  if (missing.length > 0) throw new NotFoundException(`Thème introuvable : ${missing.join(', ')}.`);
}

function encodeSessionCursor(session: WorkSession): string {
  return encodeCursor([RANKS[session.status], session.startsAt.toISOString(), session.id]);
}

function parseCursor(cursor: string | undefined): { rank: number; at: Date; id: string } | undefined {
  const values = decodeCursor(cursor, ['integer', 'time', 'uuid']);
  if (!values) return undefined;
  const [rank, at, id] = values;
  if (!Object.values(RANKS).includes(rank)) throw new BadRequestException(['cursor n’est pas valide.']);
  return { rank, at, id };
}
