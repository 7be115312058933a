import { ApiProperty } from '@nestjs/swagger';
import type { PollShape } from '../common/http-views';
import { POLL_STATUSES, type Poll, type PollStatus } from './entities/poll.entity';

export class PollOptionView {
  @ApiProperty() index: number;
  @ApiProperty() label: string;
  @ApiProperty() votes: number;
}

export class PollView implements PollShape {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) sessionId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The agenda item that was current when the poll was launched' })
  agendaItemId: string | null;
  @ApiProperty() question: string;
  @ApiProperty({ type: [PollOptionView] }) options: PollOptionView[];
  @ApiProperty({ enum: POLL_STATUSES }) status: PollStatus;
  @ApiProperty({ nullable: true, type: Number, description: "The reader's vote (option index); null in broadcasts" }) myVote: number | null;
  @ApiProperty({ description: 'Votes cast, all options together (given even while the results are hidden)' }) totalVotes: number;
  @ApiProperty({ description: 'Whether counts are kept from those who have not voted until the poll closes (on by default)' })
  hideResultsUntilVoted: boolean;
  @ApiProperty({
    description: 'Whether the counts were withheld from this reader (every `votes` is then 0): they have not voted and the poll is open',
  })
  resultsHidden: boolean;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String }) closedAt: string | null;
}

/** Whether a reader who voted `myVote` (null: not voted, or the room at large) may see the counts. */
export function maySeeResults(poll: Poll, myVote: number | null): boolean {
  return !poll.hideResultsUntilVoted || poll.status === 'closed' || myVote !== null;
}

/**
 * `counts[i]` is the number of votes for option i (missing means none). Counts a reader may not see yet are never
 * sent: each option says 0 and `resultsHidden` is true; `seenAsVoter` gives the view a voter sees (broadcast to voters).
 */
export function toPollView(poll: Poll, counts: ReadonlyMap<number, number>, myVote: number | null, seenAsVoter = false): PollView {
  const hidden = !seenAsVoter && !maySeeResults(poll, myVote);
  const options = poll.options.map((label, index) => ({ index, label, votes: hidden ? 0 : (counts.get(index) ?? 0) }));
  return {
    id: poll.id,
    sessionId: poll.sessionId,
    agendaItemId: poll.agendaItemId,
    question: poll.question,
    options,
    status: poll.status,
    myVote,
    totalVotes: [...counts.values()].reduce((sum, votes) => sum + votes, 0),
    hideResultsUntilVoted: poll.hideResultsUntilVoted,
    resultsHidden: hidden,
    createdAt: poll.createdAt.toISOString(),
    closedAt: poll.closedAt ? poll.closedAt.toISOString() : null,
  };
}
