import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { Lever } from '../levers';
import { Practice } from './practice.entity';

/** A lever named by a practice: a row each, so the catalogue filters and the metropolis × lever grid use an index. */
@Entity('practice_levers')
export class PracticeLever {
  @PrimaryColumn({ type: 'uuid' })
  practiceId: string;

  @Index()
  @PrimaryColumn({ type: 'varchar', length: 32 })
  lever: Lever;

  @ManyToOne(() => Practice, (practice) => practice.levers, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'practiceId' })
  practice: Practice;
}
