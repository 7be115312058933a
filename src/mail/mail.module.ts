import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { PreferencesModule } from '../preferences/preferences.module';
import { DigestsController } from './digests.controller';
import { Digests } from './digests.service';
import { MailComposer } from './mail-composer';
import { MailScheduler } from './mail-scheduler';
import { MailTransport } from './mail-transport';
import { MentionMails } from './mention-mails.service';
import { Outbox } from './outbox.service';
import { SessionReminders } from './session-reminders.service';

/** E-mail: the outbox and its transport, the planners of what is due (mentions, digests, reminders), and the scheduler that runs them. */
@Module({
  imports: [PreferencesModule, NotificationsModule, CalendarModule],
  controllers: [DigestsController],
  providers: [MailTransport, Outbox, MailComposer, MentionMails, Digests, SessionReminders, MailScheduler],
  exports: [Outbox, MailComposer, MailScheduler, PreferencesModule],
})
export class MailModule {}
