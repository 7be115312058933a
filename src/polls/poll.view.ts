import { ApiProperty } from '@nestjs/swagger';
import { POLL_STATUSES, type PollStatus } from './entities/poll.entity';

export class PollOptionView {
  @ApiProperty() index: number;
  @ApiProperty() label: string;
  @ApiProperty() votes: number;
}

export class PollView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) sessionId: string;
  @ApiProperty() question: string;
  @ApiProperty({ type: [PollOptionView] }) options: PollOptionView[];
  @ApiProperty({ enum: POLL_STATUSES }) status: PollStatus;
  @ApiProperty({ nullable: true, type: Number, description: "The reader's vote (option index); null in broadcasts" }) myVote: number | null;
}
