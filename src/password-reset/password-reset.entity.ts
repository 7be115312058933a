import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A password-reset request: only the SHA-256 of the token sent by e-mail is kept, and it serves once. */
@Entity('password_resets')
export class PasswordReset {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Index('IDX_password_resets_user')
  @Column({ type: 'uuid' })
  userId: string;

  @Column({ type: 'varchar', length: 64, unique: true })
  tokenHash: string;

  @Column({ type: Date })
  expiresAt: Date;

  @Column({ type: Date, nullable: true })
  usedAt: Date | null;

  @CreateDateColumn()
  createdAt: Date;
}
