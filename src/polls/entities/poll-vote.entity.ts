import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** One vote per person and poll: voting again replaces the option. */
@Entity('poll_votes')
export class PollVote {
  @PrimaryColumn({ type: 'uuid' })
  pollId: string;

  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @Column({ type: 'integer' })
  optionIndex: number;

  @UpdateDateColumn()
  votedAt: Date;
}
