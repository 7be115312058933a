/**
 * Marks a thread read as its posts scroll into view, never just because the page opened: a post counts as read
 * once its end has been on screen while the page was visible. The mark is a seq that only moves forward, and it
 * moves only over posts seen (or written by the reader), so a reply seen high in the tree does not mark the older
 * posts further down read. Marks are sent at most once per debounce period.
 */
import { markThreadRead } from '../follow';

const SEND_AFTER_MS = 800;

export class ReadTracker {
  private readonly seen = new Set<number>();
  private readonly observer: IntersectionObserver;
  private timer = 0;
  private sending = false;

  constructor(
    private readonly threadId: string,
    /** The highest seq the server holds as read for this reader. */
    private readUpTo: number,
    /** Whether the post of this seq is the reader's own (true), someone else's (false) or not loaded (undefined). */
    private readonly ownPost: (seq: number) => boolean | undefined,
  ) {
    this.observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        this.seen.add(Number((entry.target as HTMLElement).dataset.readSeq));
        this.observer.unobserve(entry.target);
      }
      this.schedule();
    });
    document.addEventListener('visibilitychange', this.schedule);
  }

  /** `end` is the element closing the post (its footer): in view, the post has been read through. */
  observe(seq: number, end: HTMLElement): void {
    if (seq <= this.readUpTo) return;
    end.dataset.readSeq = String(seq);
    this.observer.observe(end);
  }

  get lastReadSeq(): number {
    return this.readUpTo;
  }

  dispose(): void {
    this.observer.disconnect();
    document.removeEventListener('visibilitychange', this.schedule);
    window.clearTimeout(this.timer);
    void this.send();
  }

  private readonly schedule = (): void => {
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => void this.send(), SEND_AFTER_MS);
  };

  private async send(): Promise<void> {
    // a post that slid by in a background tab was not read
    if (document.visibilityState !== 'visible' || this.sending) return;
    let upTo = this.readUpTo;
    for (let next = upTo + 1; this.seen.has(next) || this.ownPost(next) === true; next++) upTo = next;
    if (upTo <= this.readUpTo) return;
    this.sending = true;
    try {
      this.readUpTo = Math.max(this.readUpTo, await markThreadRead(this.threadId, upTo));
    } catch {
      // kept for the next post seen: the mark only moves forward, so sending it again is harmless
    } finally {
      this.sending = false;
    }
    // posts seen while this mark was on its way
    if (this.seen.has(this.readUpTo + 1)) this.schedule();
  }
}
