import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A handle somebody held before changing it. Posts already written keep their `@old` links, which lead here to the
 * person; new handles made from display names avoid these, and the alias goes when somebody chooses the handle.
 */
@Entity('handle_aliases')
export class HandleAlias {
  @PrimaryColumn({ type: 'varchar', length: 30 })
  handle: string;

  @Index('IDX_handle_aliases_user')
  @Column({ type: 'uuid' })
  userId: string;

  @CreateDateColumn()
  createdAt: Date;
}
