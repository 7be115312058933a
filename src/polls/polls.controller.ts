import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, RequireRole } from '../auth/auth.decorators';
import { UuidParam } from '../common/http/uuid-param';
import { User } from '../users/user.entity';
import { CreatePollDto, VoteDto } from './dto/poll.dto';
import { PollView } from './poll.view';
import { PollsService } from './polls.service';

@ApiTags('polls')
@ApiBearerAuth()
@Controller()
export class PollsController {
  constructor(private readonly polls: PollsService) {}

  @Get('sessions/:id/polls')
  @ApiOkResponse({ type: [PollView], description: "The session's polls, oldest first, with their counts and the reader's own vote" })
  list(@CurrentUser() reader: User, @UuidParam() sessionId: string): Promise<PollView[]> {
    return this.polls.listForSession(reader, sessionId);
  }

  @Post('sessions/:id/polls')
  @RequireRole('moderator')
  @ApiCreatedResponse({ type: PollView, description: 'Opens a poll tied to the current agenda item; broadcast as poll:updated' })
  @ApiConflictResponse({ description: 'The session is not live' })
  create(@CurrentUser() moderator: User, @UuidParam() sessionId: string, @Body() dto: CreatePollDto): Promise<PollView> {
    return this.polls.create(moderator, sessionId, dto);
  }

  @Get('polls/:id')
  @ApiOkResponse({ type: PollView })
  get(@CurrentUser() reader: User, @UuidParam() id: string): Promise<PollView> {
    return this.polls.get(reader, id);
  }

  @Post('polls/:id/vote')
  @HttpCode(200)
  @ApiOkResponse({ type: PollView, description: 'One vote per person: voting again replaces it (same rule as the live poll:vote)' })
  @ApiForbiddenResponse({ description: 'The poll is closed' })
  vote(@CurrentUser() voter: User, @UuidParam() id: string, @Body() dto: VoteDto): Promise<PollView> {
    return this.polls.vote(voter, id, dto.optionIndex);
  }

  @Post('polls/:id/close')
  @RequireRole('moderator')
  @HttpCode(200)
  @ApiOkResponse({ type: PollView })
  @ApiConflictResponse({ description: 'Already closed' })
  close(@CurrentUser() moderator: User, @UuidParam() id: string): Promise<PollView> {
    return this.polls.close(moderator, id);
  }
}
