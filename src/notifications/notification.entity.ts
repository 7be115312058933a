import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const NOTIFICATION_KINDS = ['mention', 'reply', 'watched', 'session-reminder', 'session-started', 'practice-published', 'flag'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** One row per person and event; read or not, it is never deleted by reading. */
@Entity('notifications')
@Index('IDX_notifications_inbox', ['userId', 'readAt', 'createdAt'])
export class Notification {
  /** Time-ordered (UUID v7), written by NotificationsService.notify. */
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  @Column({ type: 'varchar', length: 32 })
  kind: NotificationKind;

  @Column({ type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ type: 'uuid', nullable: true })
  threadId: string | null;

  @Column({ type: 'uuid', nullable: true })
  postId: string | null;

  @Column({ type: 'integer', nullable: true })
  seq: number | null;

  @Column({ type: 'uuid', nullable: true })
  sessionId: string | null;

  @Column({ type: 'uuid', nullable: true })
  practiceId: string | null;

  @Column({ type: 'uuid', nullable: true })
  flagId: string | null;

  @Column({ type: Date })
  createdAt: Date;

  @Column({ type: Date, nullable: true })
  readAt: Date | null;

  /** Set by the e-mail sender (follow-mail) once this notification went out by mail. */
  @Column({ type: Date, nullable: true })
  emailedAt: Date | null;
}
