import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Role } from '../common/roles';
import { Metropolis } from '../metropolises/metropolis.entity';

/** For an update() that sets a new password or re-enables: older tokens stop working (the column's own value plus one). */
export const RAISED_TOKEN_VERSION = () => '"tokenVersion" + 1';

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

  /** Carried by every access token; raised by a password change, a disable and an enable, so older tokens stop working. */
  @Column({ type: 'integer', default: 0 })
  tokenVersion: number;

  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;
}
