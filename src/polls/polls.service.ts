import { BadRequestException, ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Database } from '../database/database.service';
import { DomainEventBus } from '../events/domain-events';
import { SESSION_STATUS_LABELS, WorkSession } from '../sessions/entities/session.entity';
import { findLocked } from '../database/row-lock';
import type { User } from '../users/user.entity';
import { CreatePollDto } from './dto/poll.dto';
import { PollVote } from './entities/poll-vote.entity';
import { Poll } from './entities/poll.entity';
import { PollView, toPollView } from './poll.view';

/**
 * Quick polls of a live session. One rule for votes, whether they come over HTTP or live: one vote per person,
 * voting again replaces it, a closed poll takes none. Every change is announced as `poll.updated` once committed
 * (the broadcast view has `myVote: null`).
 */
@Injectable()
export class PollsService {
  constructor(
    @InjectRepository(Poll) private readonly polls: Repository<Poll>,
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly events: DomainEventBus,
  ) {}

  /** A session's polls, oldest first, with the counts and the reader's own vote. */
  async listForSession(reader: User | undefined, sessionId: string): Promise<PollView[]> {
    if (!(await this.polls.manager.existsBy(WorkSession, { id: sessionId }))) throw new NotFoundException('Séance introuvable.');
    const polls = await this.polls.find({ where: { sessionId }, order: { createdAt: 'ASC', id: 'ASC' } });
    return this.views(this.polls.manager, polls, reader);
  }

  async get(reader: User, id: string): Promise<PollView> {
    const poll = await this.polls.findOneBy({ id });
    if (!poll) throw new NotFoundException('Sondage introuvable.');
    const [view] = await this.views(this.polls.manager, [poll], reader);
    return view;
  }

  /** Opens a poll in a live session, tied to the agenda item current at that moment. */
  async create(moderator: User, sessionId: string, dto: CreatePollDto): Promise<PollView> {
    const poll = await this.database.write(async (manager) => {
      // the session's row lock keeps a close from slipping in between this check and the insert
      const session = await findLocked(this.database, manager, WorkSession, { id: sessionId }, 'pessimistic_read');
      if (!session) throw new NotFoundException('Séance introuvable.');
      if (session.status !== 'live')
        throw new ConflictException(`Un sondage se lance pendant une séance en cours ; celle-ci est ${SESSION_STATUS_LABELS[session.status]}.`);
      const created = await manager.save(
        Poll,
        manager.create(Poll, {
          sessionId,
          agendaItemId: session.currentItemId,
          question: dto.question,
          options: dto.options,
          status: 'open',
          hideResultsUntilVoted: dto.hideResultsUntilVoted ?? true,
          createdById: moderator.id,
          closedAt: null,
        }),
      );
      await this.audit.record(manager, moderator, 'poll.open', 'poll', created.id, { sessionId, question: created.question });
      return created;
    });
    const view = toPollView(poll, new Map(), null);
    this.events.emit('poll.updated', { poll: view });
    return view;
  }

  async close(moderator: User, id: string): Promise<PollView> {
    const poll = await this.database.write(async (manager) => {
      const found = await findLocked(this.database, manager, Poll, { id });
      if (!found) throw new NotFoundException('Sondage introuvable.');
      if (found.status === 'closed') throw new ConflictException('Ce sondage est déjà clos.');
      found.status = 'closed';
      found.closedAt = new Date();
      await manager.save(Poll, found);
      await this.audit.record(manager, moderator, 'poll.close', 'poll', found.id, { sessionId: found.sessionId });
      return found;
    });
    await this.announce([poll.id]);
    return this.get(moderator, poll.id);
  }

  /**
   * The one way to vote, for the HTTP route and the live gateway alike. Voting again replaces the vote.
   * Unknown poll: 404; closed poll: 403; an option that does not exist: 400 naming optionIndex.
   */
  async vote(user: User, pollId: string, optionIndex: number): Promise<PollView> {
    await this.database.write(async (manager) => {
      // FOR SHARE: votes run side by side, but a close (FOR UPDATE) waits for them and they wait for it
      const poll = await findLocked(this.database, manager, Poll, { id: pollId }, 'pessimistic_read');
      if (!poll) throw new NotFoundException('Sondage introuvable.');
      if (poll.status !== 'open') throw new ForbiddenException('Ce sondage est clos.');
      if (!Number.isInteger(optionIndex) || optionIndex < 0 || optionIndex >= poll.options.length) {
        throw new BadRequestException([`optionIndex doit être un entier de 0 à ${poll.options.length - 1}.`]);
      }
      await manager
        .createQueryBuilder()
        .insert()
        .into(PollVote)
        .values({ pollId, userId: user.id, optionIndex, votedAt: new Date() })
        .orUpdate(['optionIndex', 'votedAt'], ['pollId', 'userId'])
        .execute();
    });
    await this.announce([pollId]);
    return this.get(user, pollId);
  }

  /** Inside the session's close: every poll still open closes with it. Returns their ids, to announce after commit. */
  async closeAllOpen(manager: EntityManager, moderator: User, sessionId: string): Promise<string[]> {
    const open = await manager.find(Poll, { where: { sessionId, status: 'open' }, select: { id: true } });
    if (open.length === 0) return [];
    const ids = open.map((poll) => poll.id);
    await manager.update(Poll, { id: In(ids), status: 'open' }, { status: 'closed', closedAt: new Date() });
    for (const id of ids) await this.audit.record(manager, moderator, 'poll.close', 'poll', id, { sessionId, withSession: true });
    return ids;
  }

  /**
   * Emits `poll.updated` with the committed state of each poll (myVote null). When its counts are hidden from the room,
   * the event also carries the view with counts and who voted, so that only they receive it.
   */
  async announce(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const manager = this.polls.manager;
    const polls = await this.polls.find({ where: { id: In(ids) }, order: { createdAt: 'ASC', id: 'ASC' } });
    const counts = await this.counts(manager, ids);
    for (const poll of polls) {
      const perOption = counts.get(poll.id) ?? new Map<number, number>();
      const view = toPollView(poll, perOption, null);
      if (!view.resultsHidden) {
        this.events.emit('poll.updated', { poll: view });
        continue;
      }
      const voters = await manager.find(PollVote, { where: { pollId: poll.id }, select: { userId: true } });
      this.events.emit('poll.updated', {
        poll: view,
        voters: { poll: toPollView(poll, perOption, null, true), userIds: voters.map((vote) => vote.userId) },
      });
    }
  }

  /** Views with counts read in one query, and the reader's votes in another; counts the reader may not see yet are left out. */
  async views(manager: EntityManager, polls: Poll[], reader: User | undefined): Promise<PollView[]> {
    if (polls.length === 0) return [];
    const ids = polls.map((poll) => poll.id);
    const counts = await this.counts(manager, ids);
    const mine = reader ? await manager.find(PollVote, { where: { pollId: In(ids), userId: reader.id } }) : [];
    const myVotes = new Map(mine.map((vote) => [vote.pollId, vote.optionIndex]));
    return polls.map((poll) => toPollView(poll, counts.get(poll.id) ?? new Map(), myVotes.get(poll.id) ?? null));
  }

  /** Votes per option of each poll, in one query. */
  private async counts(manager: EntityManager, ids: string[]): Promise<Map<string, Map<number, number>>> {
    const rows = await manager
      .createQueryBuilder(PollVote, 'vote')
      .select('vote.pollId', 'pollId')
      .addSelect('vote.optionIndex', 'optionIndex')
      .addSelect('COUNT(*)', 'count')
      .where('vote.pollId IN (:...ids)', { ids })
      .groupBy('vote.pollId')
      .addGroupBy('vote.optionIndex')
      .getRawMany<{ pollId: string; optionIndex: number | string; count: number | string }>();
    const counts = new Map<string, Map<number, number>>();
    for (const row of rows) {
      const perOption = counts.get(row.pollId) ?? new Map<number, number>();
      perOption.set(Number(row.optionIndex), Number(row.count));
      counts.set(row.pollId, perOption);
    }
    return counts;
  }
}
