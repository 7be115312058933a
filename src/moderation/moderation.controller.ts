import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, RequireRole } from '../auth/auth.decorators';
import { Page, PageQueryDto } from '../common/http/pagination';
import { Paginated } from '../common/http/pagination.interceptor';
import { UuidParam } from '../common/http/uuid-param';
import { User } from '../users/user.entity';
import { CreateFlagDto, FlagView, ModerationCountView, QueueItemView, ResolutionView, ResolveFlagsDto } from './dto/moderation.dto';
import { ModerationService } from './moderation.service';

@ApiTags('moderation')
@ApiBearerAuth()
@Controller()
export class ModerationController {
  constructor(private readonly moderation: ModerationService) {}

  @Post('posts/:id/flags')
  @ApiCreatedResponse({ type: FlagView, description: 'Reports a post to the moderators; once per person while the report is open (409 otherwise)' })
  flag(@CurrentUser() reporter: User, @UuidParam() postId: string, @Body() dto: CreateFlagDto): Promise<FlagView> {
    return this.moderation.flag(reporter, postId, dto);
  }

  @Get('moderation/queue')
  @RequireRole('moderator')
  @ApiOkResponse({
    type: [QueueItemView],
    description: 'Posts with open flags, longest waiting first; paged with `limit`, `cursor` and a `Link` header',
  })
  @Paginated()
  queue(@CurrentUser() moderator: User, @Query() query: PageQueryDto): Promise<Page<QueueItemView>> {
    return this.moderation.queue(moderator, query);
  }

  @Get('moderation/count')
  @RequireRole('moderator')
  @ApiOkResponse({
    type: ModerationCountView,
    description: 'How many posts wait in the queue; moderators also hear `moderation:count` live when it changes',
  })
  count(): Promise<ModerationCountView> {
    return this.moderation.count();
  }

  @Post('moderation/queue/:id/resolve')
  @HttpCode(200)
  @RequireRole('moderator')
  @ApiOkResponse({ type: ResolutionView, description: ':id is the post; hide it or dismiss the reports' })
  resolve(@CurrentUser() moderator: User, @UuidParam() postId: string, @Body() dto: ResolveFlagsDto): Promise<ResolutionView> {
    return this.moderation.resolve(moderator, postId, dto);
  }
}
