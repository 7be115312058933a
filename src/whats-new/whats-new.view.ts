import { ApiProperty } from '@nestjs/swagger';
import { NotificationView } from '../notifications/notification.view';
import { PracticeView } from '../practices/practice.view';
import { SessionView } from '../sessions/session.view';
import { ReaderThreadView } from '../threads/thread.view';

/** The home screen « Nouveautés ». */
export class WhatsNewView {
  @ApiProperty({
    description: 'The start of the person’s previous visit (their registration before any): what « new » is counted from, so a reload shows the same',
  })
  since: string;
  @ApiProperty({ description: 'true during the person’s first visit: `since` is then their registration' }) firstVisit: boolean;
  @ApiProperty({ type: [SessionView], description: 'The live and next sessions, each with `joined`' }) sessions: SessionView[];
  @ApiProperty({ type: [ReaderThreadView], description: 'Threads with posts the person has not read, most recent activity first' })
  threads: ReaderThreadView[];
  @ApiProperty({ type: [PracticeView], description: 'Practice sheets published since `since`, the latest first' }) practices: PracticeView[];
  @ApiProperty({ type: [NotificationView], description: 'Unread notifications, newest first' }) notifications: NotificationView[];
}
