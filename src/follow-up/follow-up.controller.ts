import { Body, Controller, HttpCode, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/auth.decorators';
import { UuidParam } from '../common/http/uuid-param';
import { User } from '../users/user.entity';
import { LastReadSeqView, MarkThreadReadDto, WatchLevelView, WatchThreadDto } from './dto/follow-up.dto';
import { ReadStateService } from './read-state.service';
import { WatchesService } from './watches.service';

@ApiTags('follow-up')
@ApiBearerAuth()
@Controller()
export class FollowUpController {
  constructor(
    private readonly readState: ReadStateService,
    private readonly watches: WatchesService,
  ) {}

  @Put('threads/:id/read')
  @ApiOkResponse({ type: LastReadSeqView, description: 'Only moves forward, clamped to the thread’s last seq' })
  markRead(@CurrentUser() reader: User, @UuidParam() threadId: string, @Body() dto: MarkThreadReadDto): Promise<LastReadSeqView> {
    return this.readState.markRead(reader, threadId, dto.seq);
  }

  @Post('topics/:id/read')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Every thread of the topic read up to its last post; nothing is deleted' })
  markTopicRead(@CurrentUser() reader: User, @UuidParam() topicId: string): Promise<void> {
    return this.readState.markTopicRead(reader, topicId);
  }

  @Post('read-all')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Every thread read up to its last post; nothing is deleted' })
  markAllRead(@CurrentUser() reader: User): Promise<void> {
    return this.readState.markAllRead(reader);
  }

  @Put('threads/:id/watch')
  @ApiOkResponse({ type: WatchLevelView })
  watch(@CurrentUser() reader: User, @UuidParam() threadId: string, @Body() dto: WatchThreadDto): Promise<WatchLevelView> {
    return this.watches.setLevel(reader, threadId, dto.level);
  }
}
