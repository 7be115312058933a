import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { WorkSession } from './session.entity';

@Entity('agenda_items')
@Index(['sessionId', 'position'])
export class AgendaItem {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  sessionId: string;

  @ManyToOne(() => WorkSession, (session) => session.agenda, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'sessionId' })
  session: WorkSession;

  @Column({ type: 'integer' })
  position: number;

  @Column({ length: 200 })
  title: string;

  @Column({ type: 'uuid', nullable: true })
  topicId: string | null;

  /** Every agenda item has its own discussion thread. */
  @Column({ type: 'uuid' })
  threadId: string;

  @Column({ type: 'integer', nullable: true })
  durationMinutes: number | null;

  /** When the live agenda made this item current (the last time, if it came back to it). */
  @Column({ type: Date, nullable: true })
  startedAt: Date | null;

  /** When the live agenda left this item (advance, back or close). */
  @Column({ type: Date, nullable: true })
  endedAt: Date | null;

  /** « Décisions et suites », written by the moderator during the session (Markdown); the minutes include it. */
  @Column({ type: 'text', default: '' })
  decisions: string;
}
