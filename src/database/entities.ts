import { Attachment } from '../attachments/attachment.entity';
import { AuditEntry } from '../audit/audit-entry.entity';
import { MailedItem } from '../mail/mailed-item.entity';
import { OutboxMail } from '../mail/outbox-mail.entity';
import { SessionReminder } from '../mail/session-reminder.entity';
import { PasswordReset } from '../password-reset/password-reset.entity';
import { MailPreferences } from '../preferences/mail-preferences.entity';
import { ThreadRead } from '../follow-up/thread-read.entity';
import { ThreadWatch } from '../follow-up/thread-watch.entity';
import { UserVisit } from '../follow-up/user-visit.entity';
import { HandleAlias } from '../users/handle-alias.entity';
import { Invitation } from '../invitations/invitation.entity';
import { Metropolis } from '../metropolises/metropolis.entity';
import { Notification } from '../notifications/notification.entity';
import { PostFlag } from '../moderation/post-flag.entity';
import { PollVote } from '../polls/entities/poll-vote.entity';
import { Poll } from '../polls/entities/poll.entity';
import { Post } from '../posts/post.entity';
import { PracticeLever } from '../practices/entities/practice-lever.entity';
import { Practice } from '../practices/entities/practice.entity';
import { AgendaItem } from '../sessions/entities/agenda-item.entity';
import { SessionParticipant } from '../sessions/entities/session-participant.entity';
import { WorkSession } from '../sessions/entities/session.entity';
import { Thread } from '../threads/thread.entity';
import { Topic } from '../topics/topic.entity';
import { User } from '../users/user.entity';

export const ENTITIES = [
  Attachment,
  AuditEntry,
  Invitation,
  Metropolis,
  Poll,
  PollVote,
  Post,
  PostFlag,
  Practice,
  PracticeLever,
  AgendaItem,
  SessionParticipant,
  WorkSession,
  Thread,
  Topic,
  User,
  MailPreferences,
  OutboxMail,
  MailedItem,
  SessionReminder,
  PasswordReset,
  ThreadRead,
  ThreadWatch,
  UserVisit,
  HandleAlias,
  Notification,
];
