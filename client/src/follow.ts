/**
 * Follow-up state shared by the header and the views: the unread notifications (the bell's count, kept live), the
 * read marks sent as posts scroll into view, and the live list events (`thread:activity`, `thread:created`) folded
 * into one shape so that lists can count unread posts without reloading.
 */
import { api, type Practice, type Session, type Thread } from './api';
import { asyncListener, h } from './dom';
import { errorText } from './views/view';
import { live } from './live';
import type { LiveNotification, LiveThread, ThreadActivity as LiveThreadActivity } from '../../src/live/live-events';

/** The `Notification` of the contract, as the API and `notification:created` carry it. */
export type AppNotification = LiveNotification;

export interface WhatsNew {
  since: string;
  firstVisit: boolean;
  sessions: Session[];
  threads: (Thread & { unreadCount: number; lastReadSeq: number })[];
  practices: Practice[];
  notifications: AppNotification[];
}

/** A new post somewhere, or a new thread (whose first post it is): enough for a list to move its counts. */
export interface ThreadActivity extends LiveThreadActivity {
  /** Present when the thread itself is new. */
  thread?: LiveThread;
  /** False when this post was already announced (a new thread comes as `thread:created` and as its first post's activity). */
  newPost: boolean;
}

/**
 * Calls `listener` for each new post or thread announced live; `newPost` is true once per (thread, seq), whichever of
 * `thread:created` and the first post's `thread:activity` comes first. Returns the function that stops listening.
 */
export function onThreadActivity(listener: (activity: ThreadActivity) => void): () => void {
  const lastSeen = new Map<string, number>();
  const deliver = (activity: Omit<ThreadActivity, 'newPost'>): void => {
    const newPost = (lastSeen.get(activity.threadId) ?? 0) < activity.lastSeq;
    if (!newPost && !activity.thread) return;
    if (newPost) lastSeen.set(activity.threadId, activity.lastSeq);
    listener({ ...activity, newPost });
  };
  const stopActivity = live.on('thread:activity', (activity: LiveThreadActivity) => deliver(activity));
  const stopCreated = live.on('thread:created', (thread: LiveThread) =>
    deliver({
      threadId: thread.id,
      topicId: thread.topicId,
      lastSeq: thread.lastSeq,
      postCount: thread.postCount,
      lastPostAt: thread.lastPostAt ?? thread.createdAt,
      authorId: thread.author.id,
      thread,
    }),
  );
  return () => {
    stopActivity();
    stopCreated();
  };
}

/** The bell's figure: read from the server at start and on every reconnection, moved live in between. */
class UnreadNotifications {
  private count = 0;
  private readonly listeners = new Set<(count: number, added?: AppNotification) => void>();
  private stopLive: (() => void) | undefined;

  get value(): number {
    return this.count;
  }

  /** Starts following the signed-in person's notifications, on this connection and the next ones. */
  start(): void {
    this.stop();
    const stopCreated = live.on('notification:created', (notification) => this.set(this.count + 1, notification));
    const stopConnect = live.onConnect(() => void this.refresh());
    this.stopLive = () => {
      stopCreated();
      stopConnect();
    };
    void this.refresh();
  }

  stop(): void {
    this.stopLive?.();
    this.stopLive = undefined;
    this.count = 0;
  }

  async refresh(): Promise<void> {
    try {
      this.set((await api<{ unread: number }>('GET', '/notifications/count')).unread);
    } catch {
      // the figure stays as it was; the next reconnection asks again
    }
  }

  /** Marks some (or all) read on the server, then takes the server's figure. */
  async markRead(ids: string[] | 'all'): Promise<void> {
    await api('POST', '/notifications/read', ids === 'all' ? { all: true } : { ids });
    await this.refresh();
  }

  /** `added` is the notification that just arrived live, for views that show the list. */
  subscribe(listener: (count: number, added?: AppNotification) => void): () => void {
    this.listeners.add(listener);
    listener(this.count);
    return () => this.listeners.delete(listener);
  }

  private set(count: number, added?: AppNotification): void {
    this.count = Math.max(0, count);
    for (const listener of this.listeners) listener(this.count, added);
  }
}

export const unreadNotifications = new UnreadNotifications();

/** Moves the reader's mark in a thread forward: over the socket when it is up, over HTTP otherwise. */
export async function markThreadRead(threadId: string, seq: number): Promise<number> {
  if (live.connectionState === 'connected') {
    try {
      return await live.markRead(threadId, seq);
    } catch {
      // no answer in time: HTTP below says the same
    }
  }
  return (await api<{ lastReadSeq: number }>('PUT', `/threads/${threadId}/read`, { seq })).lastReadSeq;
}

/**
 * « Tout marquer comme lu » and the status line that goes with it: `mark` asks the server, `done` lets the view
 * clear its counts, then the line says `said` (or why it failed).
 */
export function markAllReadButton(mark: () => Promise<unknown>, done: () => unknown, said: string): [HTMLButtonElement, HTMLElement] {
  const status = h('p', { role: 'status', class: 'meta' });
  const button = h('button', { type: 'button', class: 'secondary small' }, 'Tout marquer comme lu');
  button.addEventListener(
    'click',
    asyncListener(async () => {
      status.textContent = '';
      try {
        await mark();
        await done();
        status.textContent = said;
      } catch (error) {
        status.textContent = errorText(error);
      }
    }),
  );
  return [button, status];
}

/** « 3 messages non lus » and the like. */
export function plural(count: number, one: string, many: string): string {
  return `${count} ${count > 1 ? many : one}`;
}
