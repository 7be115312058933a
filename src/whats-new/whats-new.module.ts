import { Module } from '@nestjs/common';
import { FollowUpModule } from '../follow-up/follow-up.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { PracticesModule } from '../practices/practices.module';
import { SessionsModule } from '../sessions/sessions.module';
import { ThreadsModule } from '../threads/threads.module';
import { WhatsNewController } from './whats-new.controller';
import { WhatsNewService } from './whats-new.service';

/** GET /api/me/whats-new: the home screen « Nouveautés ». */
@Module({
  imports: [FollowUpModule, NotificationsModule, PracticesModule, SessionsModule, ThreadsModule],
  controllers: [WhatsNewController],
  providers: [WhatsNewService],
})
export class WhatsNewModule {}
