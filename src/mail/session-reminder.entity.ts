import { CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A session whose day-before reminder went out: inserted once, by whichever instance gets there first. */
@Entity('session_reminders')
export class SessionReminder {
  @PrimaryColumn({ type: 'uuid' })
  sessionId: string;

  @CreateDateColumn()
  remindedAt: Date;
}
