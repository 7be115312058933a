import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Role } from '../common/roles';
import { Metropolis } from '../metropolises/metropolis.entity';

@Entity('users')
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Always stored lower-cased, so sign-in and uniqueness ignore case. */
  @Index({ unique: true })
  @Column()
  email: string;

  @Column()
  passwordHash: string;

  @Column()
  displayName: string;

  /** Unique, lowercase ASCII (`prenom.nom`): `@handle` in a post mentions this person. Made from the display name at creation. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 30 })
  handle: string;

  @Column({ type: 'varchar', length: 16 })
  role: Role;

  @Column({ type: 'uuid', nullable: true })
  metropolisId: string | null;

  @ManyToOne(() => Metropolis, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'metropolisId' })
  metropolis: Metropolis | null;

  @Column({ default: false })
  disabled: boolean;

  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;
}
