import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { Post } from '../posts/post.entity';
import type { Practice } from '../practices/entities/practice.entity';
import type { WorkSession } from '../sessions/entities/session.entity';
import { User } from '../users/user.entity';

/** What an attachment belongs to; an upload belongs to nothing until a post, practice or session references it. */
export type AttachmentOwnerKind = 'post' | 'practice' | 'session';
export const OWNER_COLUMNS = { post: 'postId', practice: 'practiceId', session: 'sessionId' } as const;

/** An uploaded file: its checked type and size, its image facts, and what it is attached to. The bytes are in the storage. */
@Entity('attachments')
export class Attachment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  uploaderId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'uploaderId' })
  uploader: User;

  /** The file's name as given, cleaned of paths and control characters, with the extension of its real type. */
  @Column({ type: 'varchar', length: 255 })
  name: string;

  /** The MIME type read from the content, never the name or the browser's claim. */
  @Column({ type: 'varchar', length: 127 })
  type: string;

  @Column({ type: 'integer' })
  size: number;

  /** Of the original bytes: the download's ETag. */
  @Column({ type: 'varchar', length: 64 })
  sha256: string;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  alt: string | null;

  @Column({ type: 'integer', nullable: true })
  width: number | null;

  @Column({ type: 'integer', nullable: true })
  height: number | null;

  /** Bytes of the scaled-down WebP kept for images; null for documents. */
  @Column({ type: 'integer', nullable: true })
  previewSize: number | null;

  @Column({ type: 'uuid', nullable: true })
  postId: string | null;

  @ManyToOne('Post', (post: Post) => post.attachments, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'postId' })
  post?: Post;

  @Column({ type: 'uuid', nullable: true })
  practiceId: string | null;

  @ManyToOne('Practice', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'practiceId' })
  practice?: Practice;

  @Column({ type: 'uuid', nullable: true })
  sessionId: string | null;

  @ManyToOne('WorkSession', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'sessionId' })
  session?: WorkSession;

  @CreateDateColumn()
  createdAt: Date;
}
