import { Body, Controller, Get, Patch, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, RequireRole } from '../auth/auth.decorators';
import { sendEncodedJson } from '../common/http/encoded-json';
import { Page, PageQueryDto } from '../common/http/pagination';
import { Paginated } from '../common/http/pagination.interceptor';
import { UuidParam } from '../common/http/uuid-param';
import { User } from '../users/user.entity';
import { CreateThreadDto, ThreadPostsQuery, UpdateThreadDto } from './dto/thread.dto';
import { CreatedThreadView, ReaderThreadView, ThreadPageView, ThreadView } from './thread.view';
import { ThreadsService } from './threads.service';

@ApiTags('threads')
@ApiBearerAuth()
@Controller()
export class ThreadsController {
  constructor(private readonly threads: ThreadsService) {}

  @Get('topics/:id/threads')
  @ApiOkResponse({
    type: [ReaderThreadView],
    description:
      'Pinned first, then most recent activity, with the reader’s lastReadSeq and unreadCount; paged with `limit`, `cursor` and a `Link` header',
  })
  @Paginated()
  listForTopic(@CurrentUser() reader: User, @UuidParam() topicId: string, @Query() query: PageQueryDto): Promise<Page<ReaderThreadView>> {
    return this.threads.listForTopic(reader, topicId, query);
  }

  @Post('topics/:id/threads')
  @ApiCreatedResponse({
    type: CreatedThreadView,
    description:
      'Moderators only when the topic is locked; the first post counts against the post rate limit, and the same clientKey again answers the thread it opened',
  })
  create(@CurrentUser() author: User, @UuidParam() topicId: string, @Body() dto: CreateThreadDto): Promise<CreatedThreadView> {
    return this.threads.createInTopic(author, topicId, dto);
  }

  @Get('threads/:id')
  @ApiOkResponse({ type: ThreadPageView, description: 'With an ETag; sent again with If-None-Match, an unchanged page is a 304' })
  @ApiResponse({ status: 304, description: 'Not modified: the page the client holds (If-None-Match) is current' })
  async get(
    @CurrentUser() reader: User,
    @UuidParam() id: string,
    @Query() query: ThreadPostsQuery,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    // the bytes go out as they are: Nest's JSON reply would decode and encode the cached posts again
    sendEncodedJson(request, response, await this.threads.getPageJson(reader, id, query));
  }

  @Patch('threads/:id')
  @RequireRole('moderator')
  @ApiOkResponse({ type: ThreadView })
  update(@CurrentUser() moderator: User, @UuidParam() id: string, @Body() dto: UpdateThreadDto): Promise<ThreadView> {
    return this.threads.update(moderator, id, dto);
  }
}
