import { Module } from '@nestjs/common';
import { PreferencesModule } from '../preferences/preferences.module';
import { DigestsController } from './digests.controller';
import { Digests } from './digests.service';
import { MailScheduler } from './mail-scheduler';
import { MailTransport } from './mail-transport';
import { MentionMails } from './mention-mails.service';
import { Outbox } from './outbox.service';

/** E-mail: the outbox and its transport, the planners of what is due, and the scheduler that runs them. */
@Module({
  imports: [PreferencesModule],
  controllers: [DigestsController],
  providers: [MailTransport, Outbox, MentionMails, Digests, MailScheduler],
  exports: [Outbox, MailScheduler, PreferencesModule],
})
export class MailModule {}
