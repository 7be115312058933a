import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, OneToMany, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { Attachment } from '../attachments/attachment.entity';
import { Thread } from '../threads/thread.entity';
import { User } from '../users/user.entity';

@Entity('posts')
@Unique('UQ_posts_thread_seq', ['threadId', 'seq'])
@Unique('UQ_posts_author_client_key', ['authorId', 'clientKey'])
export class Post {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  threadId: string;

  @ManyToOne(() => Thread, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'threadId' })
  thread: Thread;

  /** Position of the post in its thread, 1, 2, 3… with no gap, so clients can ask for "everything after N". */
  @Column({ type: 'integer' })
  seq: number;

  @Index()
  @Column({ type: 'uuid', nullable: true })
  parentId: string | null;

  /** Looked up through the unique index on (authorId, clientKey), whose first column it is. */
  @Column({ type: 'uuid' })
  authorId: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'authorId' })
  author: User;

  @Column({ type: 'text' })
  body: string;

  /** `body` cooked into safe HTML when it is written or edited, so readers never render Markdown. */
  @Column({ type: 'text', default: '' })
  bodyHtml: string;

  /** Chosen by the client so that a retried send returns the first post instead of making a second one. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  clientKey: string | null;

  @CreateDateColumn()
  createdAt: Date;

  @Column({ type: Date, nullable: true })
  editedAt: Date | null;

  @Column({ type: Date, nullable: true })
  deletedAt: Date | null;

  @Column({ type: Date, nullable: true })
  hiddenAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  hiddenById: string | null;

  /** Files attached to the post (loaded by whoever maps the post to its view). */
  @OneToMany(() => Attachment, (attachment) => attachment.post)
  attachments: Attachment[];
}
