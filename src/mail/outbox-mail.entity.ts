import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export const MAIL_KINDS = ['mention', 'digest', 'reminder', 'password-reset'] as const;
export type MailKind = (typeof MAIL_KINDS)[number];
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed';

export interface OutboxAttachment {
  filename: string;
  contentType: string;
  content: string;
}

/**
 * One e-mail, rendered when it became due and kept until sent: an instance claims it (status `sending`, a claim
 * token, a lease) in a transaction before handing it to SMTP, so two instances never send it both, and one that dies
 * while sending leaves it to be taken again once the lease ends.
 */
@Entity('outbox_mails')
@Index('IDX_outbox_mails_due', ['status', 'nextAttemptAt'])
export class OutboxMail {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  @Column({ type: 'varchar', length: 32 })
  kind: MailKind;

  /** What makes this message unique (a digest slot, a reminder per person): planning it twice inserts it once. */
  @Column({ type: 'varchar', length: 200, unique: true })
  dedupeKey: string;

  @Column({ type: 'varchar', length: 320 })
  recipient: string;

  @Column({ type: 'varchar', length: 300 })
  subject: string;

  @Column({ type: 'text' })
  html: string;

  @Column({ type: 'text' })
  text: string;

  @Column({ type: 'simple-json' })
  headers: Record<string, string>;

  @Column({ type: 'simple-json' })
  attachments: OutboxAttachment[];

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status: OutboxStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: Date })
  nextAttemptAt: Date;

  @Column({ type: Date, nullable: true })
  claimedUntil: Date | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  claimToken: string | null;

  @Column({ type: Date, nullable: true })
  sentAt: Date | null;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  lastError: string | null;

  @CreateDateColumn()
  createdAt: Date;
}
