import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { User } from '../users/user.entity';

export const EMAIL_MENTIONS = ['immediate', 'never'] as const;
export type EmailMentions = (typeof EMAIL_MENTIONS)[number];
export const DIGEST_FREQUENCIES = ['daily', 'weekly', 'never'] as const;
export type DigestFrequency = (typeof DIGEST_FREQUENCIES)[number];

/** A person's e-mail settings; a person without a row has the defaults (mentions at once, a daily digest). */
@Entity('mail_preferences')
export class MailPreferences {
  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @OneToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'userId' })
  user: User;

  @Column({ type: 'varchar', length: 16, default: 'immediate' })
  emailMentions: EmailMentions;

  @Column({ type: 'varchar', length: 16, default: 'daily' })
  digest: DigestFrequency;

  /** Session reminders by e-mail (the in-app notification always comes). */
  @Column({ type: 'varchar', length: 16, default: 'immediate' })
  emailReminders: EmailMentions;

  /** Part of the calendar feed's signed token: raising it revokes every URL given before. */
  @Column({ type: 'integer', default: 0 })
  calendarVersion: number;

  /** When the last digest was planned: the next is due at the first digest hour after it. */
  @Column({ type: Date, nullable: true })
  lastDigestAt: Date | null;

  @UpdateDateColumn()
  updatedAt: Date;
}
