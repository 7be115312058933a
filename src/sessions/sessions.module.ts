import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AttachmentsModule } from '../attachments/attachments.module';
import { LiveServerModule } from '../live/live-server.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { PollsModule } from '../polls/polls.module';
import { ThreadsModule } from '../threads/threads.module';
import { AgendaItem } from './entities/agenda-item.entity';
import { SessionParticipant } from './entities/session-participant.entity';
import { WorkSession } from './entities/session.entity';
import { MinutesService } from './minutes.service';
import { SessionsController } from './sessions.controller';
import { SessionsService } from './sessions.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([WorkSession, AgendaItem, SessionParticipant]),
    ThreadsModule,
    PollsModule,
    LiveServerModule,
    NotificationsModule,
    AttachmentsModule,
  ],
  controllers: [SessionsController],
  providers: [SessionsService, MinutesService],
  exports: [SessionsService],
})
export class SessionsModule {}
