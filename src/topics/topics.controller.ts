import { Body, Controller, Get, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentUser, RequireRole } from '../auth/auth.decorators';
import { sendEncodedJson } from '../common/http/encoded-json';
import { UuidParam } from '../common/http/uuid-param';
import { User } from '../users/user.entity';
import { CreateTopicDto, ListTopicsQuery, UpdateTopicDto } from './dto/topic.dto';
import { ReaderTopicView, TopicView } from './topic.view';
import { TopicsService } from './topics.service';

@ApiTags('topics')
@ApiBearerAuth()
@Controller('topics')
export class TopicsController {
  constructor(private readonly topics: TopicsService) {}

  @Get()
  @ApiOkResponse({
    type: [ReaderTopicView],
    description: 'Pinned first, then by position; archived ones only with ?archived=true; with the reader’s unreadCount',
  })
  async list(@CurrentUser() reader: User, @Query() query: ListTopicsQuery, @Req() request: Request, @Res() response: Response): Promise<void> {
    sendEncodedJson(request, response, await this.topics.listAsJson(reader, query.archived === true));
  }

  @Post()
  @RequireRole('moderator')
  @ApiCreatedResponse({ type: TopicView })
  create(@CurrentUser() moderator: User, @Body() dto: CreateTopicDto): Promise<TopicView> {
    return this.topics.create(moderator, dto);
  }

  @Patch(':id')
  @RequireRole('moderator')
  @ApiOkResponse({ type: TopicView })
  update(@CurrentUser() moderator: User, @UuidParam() id: string, @Body() dto: UpdateTopicDto): Promise<TopicView> {
    return this.topics.update(moderator, id, dto);
  }
}
