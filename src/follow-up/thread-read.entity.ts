import { Column, Entity, PrimaryColumn } from 'typeorm';

/** How far a person has read a thread: the highest seq read, which only moves forward. */
@Entity('thread_reads')
export class ThreadRead {
  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @PrimaryColumn({ type: 'uuid' })
  threadId: string;

  @Column({ type: 'integer', default: 0 })
  lastReadSeq: number;

  @Column({ type: Date })
  updatedAt: Date;
}
