import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One moderator or admin action, kept for the audit log. */
@Entity('audit_entries')
export class AuditEntry {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column({ type: 'uuid' })
  actorId: string;

  /** e.g. "post.hide", "thread.lock", "user.role", "session.start". */
  @Column({ length: 64 })
  action: string;

  @Column({ length: 32 })
  targetType: string;

  @Column({ type: 'uuid' })
  targetId: string;

  @Column({ type: 'simple-json', nullable: true })
  details: Record<string, unknown> | null;

  @Index()
  @CreateDateColumn()
  createdAt: Date;
}
