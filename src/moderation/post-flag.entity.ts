import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { Post } from '../posts/post.entity';

export const FLAG_RESOLUTIONS = ['hidden', 'dismissed'] as const;
export type FlagResolution = (typeof FLAG_RESOLUTIONS)[number];

/** A report of a post by a reader, waiting in the moderation queue until a moderator hides the post or dismisses it. */
@Entity('post_flags')
@Unique('UQ_post_flags_post_reporter', ['postId', 'reporterId'])
@Index(['resolvedAt', 'createdAt'])
export class PostFlag {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  postId: string;

  @ManyToOne(() => Post, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'postId' })
  post: Post;

  @Column({ type: 'uuid' })
  reporterId: string;

  @Column({ length: 500 })
  reason: string;

  @CreateDateColumn()
  createdAt: Date;

  @Column({ type: Date, nullable: true })
  resolvedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  resolvedById: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  resolution: FlagResolution | null;
}
