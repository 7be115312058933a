import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequestOrigin } from '../attachments/attachment-links';
import { CurrentUser, RequireRole } from '../auth/auth.decorators';
import { Page } from '../common/http/pagination';
import { Paginated } from '../common/http/pagination.interceptor';
import { UuidParam } from '../common/http/uuid-param';
import { User } from '../users/user.entity';
import { CreateSessionDto, ListSessionsQuery, UpdateSessionDto } from './dto/session.dto';
import { MinutesService } from './minutes.service';
import { SessionAttendanceView, SessionView } from './session.view';
import { SessionsService } from './sessions.service';

const TRANSITION_CONFLICT = 'An impossible transition: the state machine is scheduled → live → closed, and advance needs a next item';

@ApiTags('sessions')
@ApiBearerAuth()
@Controller('sessions')
export class SessionsController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly minutes: MinutesService,
  ) {}

  @Get()
  @ApiOkResponse({
    type: [SessionView],
    description:
      'Live sessions first, then scheduled ones from the soonest, then closed ones from the latest; `?status=` keeps one status. Paged with `limit`, `cursor` and a `Link` header.',
  })
  @Paginated()
  list(@CurrentUser() reader: User, @Query() query: ListSessionsQuery): Promise<Page<SessionView>> {
    return this.sessions.list(reader, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: SessionView, description: 'With the agenda in order and whether the reader joined' })
  get(@CurrentUser() reader: User, @UuidParam() id: string): Promise<SessionView> {
    return this.sessions.getView(id, reader);
  }

  @Get(':id/attendance')
  @ApiOkResponse({
    type: [SessionAttendanceView],
    description:
      'The people who joined the session, counted by metropolis (network staff under `metropolis: null`): metropolises most represented first, then network staff; `[]` when nobody joined',
  })
  @ApiNotFoundResponse({ description: 'No session has that id' })
  attendance(@UuidParam() id: string): Promise<SessionAttendanceView[]> {
    return this.sessions.attendance(id);
  }

  @Post()
  @RequireRole('moderator')
  @ApiCreatedResponse({ type: SessionView, description: 'A scheduled session; each agenda item gets its own discussion thread (context session)' })
  @ApiNotFoundResponse({ description: 'An agenda item names an unknown topic' })
  create(@CurrentUser() moderator: User, @Body() dto: CreateSessionDto): Promise<SessionView> {
    return this.sessions.create(moderator, dto);
  }

  @Patch(':id')
  @RequireRole('moderator')
  @ApiOkResponse({ type: SessionView, description: 'Broadcast as session:updated' })
  @ApiConflictResponse({ description: "A closed session's agenda, or an agenda item whose removal would lose posts, polls or the live position" })
  update(@CurrentUser() moderator: User, @UuidParam() id: string, @Body() dto: UpdateSessionDto): Promise<SessionView> {
    return this.sessions.update(moderator, id, dto);
  }

  @Post(':id/join')
  @HttpCode(200)
  @ApiOkResponse({ type: SessionView, description: 'Idempotent; the room hears `session:updated` with the new participantCount' })
  @ApiConflictResponse({ description: 'The session is closed' })
  join(@CurrentUser() user: User, @UuidParam() id: string): Promise<SessionView> {
    return this.sessions.join(user, id);
  }

  @Delete(':id/join')
  @ApiOkResponse({ type: SessionView, description: 'Idempotent; the room hears `session:updated` with the new participantCount' })
  @ApiConflictResponse({ description: 'The session is closed: its attendance, which the minutes list, is final' })
  leave(@CurrentUser() user: User, @UuidParam() id: string): Promise<SessionView> {
    return this.sessions.leave(user, id);
  }

  @Post(':id/start')
  @RequireRole('moderator')
  @HttpCode(200)
  @ApiOkResponse({ type: SessionView, description: 'scheduled → live; the first agenda item becomes current. Broadcast as session:updated' })
  @ApiConflictResponse({ description: TRANSITION_CONFLICT })
  start(@CurrentUser() moderator: User, @UuidParam() id: string): Promise<SessionView> {
    return this.sessions.transition(moderator, id, 'start');
  }

  @Post(':id/advance')
  @RequireRole('moderator')
  @HttpCode(200)
  @ApiOkResponse({ type: SessionView, description: 'Live only: the next agenda item becomes current. Broadcast as session:updated' })
  @ApiConflictResponse({ description: TRANSITION_CONFLICT })
  advance(@CurrentUser() moderator: User, @UuidParam() id: string): Promise<SessionView> {
    return this.sessions.transition(moderator, id, 'advance');
  }

  @Post(':id/close')
  @RequireRole('moderator')
  @HttpCode(200)
  @ApiOkResponse({ type: SessionView, description: 'live → closed; polls still open close with it. Broadcast as session:updated (and poll:updated)' })
  @ApiConflictResponse({ description: TRANSITION_CONFLICT })
  close(@CurrentUser() moderator: User, @UuidParam() id: string): Promise<SessionView> {
    return this.sessions.transition(moderator, id, 'close');
  }

  @Get(':id/minutes')
  @ApiOkResponse({
    description:
      'The minutes (compte rendu) in French Markdown: date and place (Paris time), status, description, participants by metropolis, the session’s documents and each post’s files as links, each agenda item with its discussion as a reply tree and its poll results, then polls tied to no item',
    content: { 'text/markdown': { schema: { type: 'string' } } },
  })
  async getMinutes(@UuidParam() id: string, @RequestOrigin() origin: string, @Res({ passthrough: true }) response: Response): Promise<string> {
    const { fileName, markdown } = await this.minutes.render(id, origin);
    response.setHeader('Content-Type', 'text/markdown; charset=utf-8');
    response.setHeader('Content-Disposition', `inline; filename="${fileName}"`);
    return markdown;
  }
}
