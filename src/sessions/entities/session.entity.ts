import { Column, CreateDateColumn, Entity, Index, OneToMany, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { AgendaItem } from './agenda-item.entity';

export const SESSION_STATUSES = ['scheduled', 'live', 'closed'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];
/** Each status as a refusal tells it to a person (« celle-ci est close »). */
export const SESSION_STATUS_LABELS: Record<SessionStatus, string> = { scheduled: 'programmée', live: 'en cours', closed: 'close' };

/** A working-group session ("séance"); the table is not called "sessions" to stay clear of HTTP-session vocabulary. */
@Entity('work_sessions')
@Index(['status', 'startsAt'])
export class WorkSession {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ length: 200 })
  title: string;

  @Column({ type: 'text', default: '' })
  description: string;

  /** `description` cooked into safe HTML when it is written or edited. */
  @Column({ type: 'text', default: '' })
  descriptionHtml: string;

  @Index()
  @Column({ type: Date })
  startsAt: Date;

  @Column({ type: Date, nullable: true })
  endsAt: Date | null;

  @Column({ type: 'varchar', length: 300, nullable: true })
  location: string | null;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  videoUrl: string | null;

  @Column({ type: 'varchar', length: 16, default: 'scheduled' })
  status: SessionStatus;

  @Column({ type: 'uuid', nullable: true })
  currentItemId: string | null;

  @Column({ type: 'uuid', nullable: true })
  createdById: string | null;

  @Column({ type: Date, nullable: true })
  startedAt: Date | null;

  @Column({ type: Date, nullable: true })
  closedAt: Date | null;

  @OneToMany(() => AgendaItem, (item) => item.session)
  agenda: AgendaItem[];

  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;
}
