import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { FollowUpController } from './follow-up.controller';
import { PostFollowUp } from './post-follow-up.service';
import { ReadStateService } from './read-state.service';
import { WatchesService } from './watches.service';

/** Read state, watch levels and what a post sets off (mentions, replies, watched threads): issue 11's follow-up. */
@Module({
  imports: [NotificationsModule],
  controllers: [FollowUpController],
  providers: [ReadStateService, WatchesService, PostFollowUp],
  exports: [ReadStateService, WatchesService, PostFollowUp],
})
export class FollowUpModule {}
