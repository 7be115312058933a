import { ApiProperty } from '@nestjs/swagger';
import { NOTIFICATION_KINDS, type NotificationKind } from './notification.entity';

export class NotificationActorView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() displayName: string;
}

/** A notification as its recipient sees it (in lists, `notification:created`, « what's new »). */
export class NotificationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: NOTIFICATION_KINDS }) kind: NotificationKind;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String }) readAt: string | null;
  @ApiProperty({ type: NotificationActorView, nullable: true, description: 'Who caused it; null for reminders' })
  actor: NotificationActorView | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) threadId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) postId: string | null;
  @ApiProperty({ nullable: true, type: Number, description: "The post's seq in its thread, to open the thread at it" }) seq: number | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) sessionId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) practiceId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) flagId: string | null;
  @ApiProperty({ description: "The session's, the practice's or else the thread's title" }) title: string;
  @ApiProperty({ description: "Plain text of the post, 200 characters at most; '' when the reader may not see the post" }) excerpt: string;
  @ApiProperty({
    description:
      'How many posts it stands for: a `watched` notification stands for every post of others in its thread from `seq` on, until it is read; 1 for the other kinds',
  })
  count: number;
}

export class UnreadCountView {
  @ApiProperty() unread: number;
}
