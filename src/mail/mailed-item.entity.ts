import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export type MailedItemType = 'post' | 'practice' | 'session';

/** Something a person was already e-mailed about: a digest never tells it again. */
@Entity('mailed_items')
export class MailedItem {
  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @PrimaryColumn({ type: 'varchar', length: 16 })
  itemType: MailedItemType;

  @PrimaryColumn({ type: 'uuid' })
  itemId: string;

  @Column({ type: 'uuid' })
  outboxId: string;

  @CreateDateColumn()
  createdAt: Date;
}
