import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsUuidField } from '../../common/validation/validation';
import { MarkThreadReadDto } from '../../follow-up/dto/follow-up.dto';
import { CreatePostDto } from '../../posts/dto/post.dto';
import type {
  PollVotePayload,
  PostCreatePayload,
  SessionJoinPayload,
  SessionLeavePayload,
  ThreadReadPayload,
  ThreadSubscribePayload,
  ThreadUnsubscribePayload,
  TypingPayload,
} from '../live-events';

/** Seqs and option indexes are PostgreSQL integers: anything larger could only fail in the database. */
const MAX_INT = 2_147_483_647;

export class SessionRefDto implements SessionJoinPayload, SessionLeavePayload {
  @IsUuidField()
  sessionId: string;
}

export class ThreadRefDto implements ThreadUnsubscribePayload, TypingPayload {
  @IsUuidField()
  threadId: string;
}

export class ThreadSubscribeDto extends ThreadRefDto implements ThreadSubscribePayload {
  @ApiPropertyOptional({ minimum: 0, default: 0, description: 'Only posts with a greater seq' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_INT)
  afterSeq?: number | null;
}

/** The HTTP post body (same rules, same messages) plus the thread it goes to. */
export class LiveCreatePostDto extends CreatePostDto implements PostCreatePayload {
  @IsUuidField()
  threadId: string;
}

export class PollVoteDto implements PollVotePayload {
  @IsUuidField()
  pollId: string;

  @ApiProperty({ minimum: 0 })
  @IsInt()
  @Min(0)
  @Max(MAX_INT)
  optionIndex: number;
}

/** The HTTP read marker (same rules, same messages) plus the thread it is about. */
export class LiveThreadReadDto extends MarkThreadReadDto implements ThreadReadPayload {
  @IsUuidField()
  threadId: string;
}
