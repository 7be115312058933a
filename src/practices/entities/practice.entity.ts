import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  JoinTable,
  ManyToMany,
  ManyToOne,
  OneToMany,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Metropolis } from '../../metropolises/metropolis.entity';
import { Topic } from '../../topics/topic.entity';
import { User } from '../../users/user.entity';
import type { Stage } from '../levers';
import { PracticeLever } from './practice-lever.entity';

@Entity('practices')
export class Practice {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ length: 200 })
  title: string;

  @Column({ type: 'text' })
  summary: string;

  @Column({ type: 'text' })
  description: string;

  /** `description` cooked into safe HTML when it is written or edited. */
  @Column({ type: 'text', default: '' })
  descriptionHtml: string;

  @Index()
  @Column({ type: 'uuid' })
  metropolisId: string;

  @ManyToOne(() => Metropolis, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'metropolisId' })
  metropolis: Metropolis;

  @ManyToMany(() => Topic)
  @JoinTable({ name: 'practice_topics', joinColumn: { name: 'practiceId' }, inverseJoinColumn: { name: 'topicId' } })
  topics: Topic[];

  @OneToMany(() => PracticeLever, (lever) => lever.practice, { cascade: true })
  levers: PracticeLever[];

  @Column({ type: 'simple-json' })
  partners: string[];

  @Index()
  @Column({ type: 'varchar', length: 16 })
  stage: Stage;

  @Column({ type: 'simple-json' })
  links: string[];

  @Column({ type: 'varchar', length: 500, nullable: true })
  contact: string | null;

  @Column({ type: 'uuid' })
  threadId: string;

  @Column({ type: 'uuid', nullable: true })
  authorId: string | null;

  @ManyToOne(() => User, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'authorId' })
  author: User | null;

  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;
}
