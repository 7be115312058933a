import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Topic } from '../topics/topic.entity';
import { User } from '../users/user.entity';

/** Where a thread belongs: a topic's discussion, an agenda item of a session, or a practice sheet. */
export const THREAD_CONTEXTS = ['topic', 'session', 'practice'] as const;
export type ThreadContext = (typeof THREAD_CONTEXTS)[number];

@Entity('threads')
@Index(['topicId', 'pinned', 'lastActivityAt'])
export class Thread {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid', nullable: true })
  topicId: string | null;

  @ManyToOne(() => Topic, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'topicId' })
  topic: Topic | null;

  @Column({ type: 'varchar', length: 16, default: 'topic' })
  context: ThreadContext;

  @Column({ length: 200 })
  title: string;

  @Column({ type: 'uuid' })
  authorId: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'authorId' })
  author: User;

  @Column({ default: false })
  pinned: boolean;

  @Column({ default: false })
  locked: boolean;

  @Column({ type: 'integer', default: 0 })
  postCount: number;

  /** The seq of the last post; the next post takes lastSeq + 1 in the same transaction. */
  @Column({ type: 'integer', default: 0 })
  lastSeq: number;

  /** Goes up with every post added, edited, deleted, hidden or shown again: cached pages of posts compare it. */
  @Column({ type: 'integer', default: 0 })
  postsRevision: number;

  @Column({ type: Date, nullable: true })
  lastPostAt: Date | null;

  /** lastPostAt, or the creation time for a thread without posts: what "most recent activity" sorts by. */
  @Column({ type: Date })
  lastActivityAt: Date;

  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;
}
