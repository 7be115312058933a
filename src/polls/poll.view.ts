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
  @ApiProperty({ description: 'Votes cast, all options together' }) totalVotes: number;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String }) closedAt: string | null;
}

/** `counts[i]` is the number of votes for option i (missing means none). */
export function toPollView(poll: Poll, counts: ReadonlyMap<number, number>, myVote: number | null): PollView {
  const options = poll.options.map((label, index) => ({ index, label, votes: counts.get(index) ?? 0 }));
  return {
    id: poll.id,
    sessionId: poll.sessionId,
    agendaItemId: poll.agendaItemId,
    question: poll.question,
    options,
    status: poll.status,
    myVote,
    totalVotes: options.reduce((sum, option) => sum + option.votes, 0),
    createdAt: poll.createdAt.toISOString(),
    closedAt: poll.closedAt ? poll.closedAt.toISOString() : null,
  };
}
