import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const POLL_STATUSES = ['open', 'closed'] as const;
export type PollStatus = (typeof POLL_STATUSES)[number];

@Entity('polls')
export class Poll {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column({ type: 'uuid' })
  sessionId: string;

  /** The agenda item that was current when the poll was launched, so the minutes can place its results. */
  @Column({ type: 'uuid', nullable: true })
  agendaItemId: string | null;

  @Column({ length: 300 })
  question: string;

  /** The option labels, in order; an option's index is its position here. */
  @Column({ type: 'simple-json' })
  options: string[];

  @Column({ type: 'varchar', length: 16, default: 'open' })
  status: PollStatus;

  /** Counts are kept from those who have not voted until the poll closes. */
  @Column({ type: 'boolean', default: true })
  hideResultsUntilVoted: boolean;

  @Column({ type: 'uuid', nullable: true })
  createdById: string | null;

  @CreateDateColumn()
  createdAt: Date;

  @Column({ type: Date, nullable: true })
  closedAt: Date | null;
}
