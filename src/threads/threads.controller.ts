import { Body, Controller, Get, Header, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, RequireRole } from '../auth/auth.decorators';
import { Page, PageQueryDto } from '../common/http/pagination';
import { UuidParam } from '../common/http/uuid-param';
import { User } from '../users/user.entity';
import { CreateThreadDto, ThreadPostsQuery, UpdateThreadDto } from './dto/thread.dto';
import { CreatedThreadView, ThreadPageView, ThreadView } from './thread.view';
import { ThreadsService } from './threads.service';

@ApiTags('threads')
@ApiBearerAuth()
@Controller()
export class ThreadsController {
  constructor(private readonly threads: ThreadsService) {}

  @Get('topics/:id/threads')
  @ApiOkResponse({ type: [ThreadView], description: 'Pinned first, then most recent activity; paged with `limit`, `cursor` and a `Link` header' })
  listForTopic(@UuidParam() topicId: string, @Query() query: PageQueryDto): Promise<Page<ThreadView>> {
    return this.threads.listForTopic(topicId, query);
  }

  @Post('topics/:id/threads')
  @ApiCreatedResponse({ type: CreatedThreadView, description: 'Moderators only when the topic is locked' })
  create(@CurrentUser() author: User, @UuidParam() topicId: string, @Body() dto: CreateThreadDto): Promise<CreatedThreadView> {
    return this.threads.createInTopic(author, topicId, dto);
  }

  @Get('threads/:id')
  @Header('Content-Type', 'application/json; charset=utf-8')
  @ApiOkResponse({ type: ThreadPageView })
  get(@CurrentUser() reader: User, @UuidParam() id: string, @Query() query: ThreadPostsQuery): Promise<string> {
    return this.threads.getPageJson(reader, id, query);
  }

  @Patch('threads/:id')
  @RequireRole('moderator')
  @ApiOkResponse({ type: ThreadView })
  update(@CurrentUser() moderator: User, @UuidParam() id: string, @Body() dto: UpdateThreadDto): Promise<ThreadView> {
    return this.threads.update(moderator, id, dto);
  }
}
