import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * How closely a person follows a thread. `watching`: every post; `normal` (anybody without a row): mentions and
 * direct replies; `muted`: mentions only. The author of a thread and anyone who posts in it get `watching`.
 */
export const WATCH_LEVELS = ['watching', 'normal', 'muted'] as const;
export type WatchLevel = (typeof WATCH_LEVELS)[number];
export const DEFAULT_WATCH_LEVEL: WatchLevel = 'normal';

@Entity('thread_watches')
@Index('IDX_thread_watches_to_notify', ['threadId', 'level', 'unreadWatchedId'])
export class ThreadWatch {
  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @PrimaryColumn({ type: 'uuid' })
  threadId: string;

  @Column({ type: 'varchar', length: 16 })
  level: WatchLevel;

  /**
   * The watcher's unread `watched` notification about this thread, which stands for every post since: while it is
   * set, new posts notify them no more. Database triggers set it when a `watched` notification is written, and clear
   * it when that notification is read or deleted.
   */
  @Column({ type: 'uuid', nullable: true })
  unreadWatchedId: string | null;
}
