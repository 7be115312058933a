import { Injectable } from '@nestjs/common';

export interface CachedPostPage {
  /** The posts of the page as the JSON array the HTTP thread page sends, already UTF-8 encoded. */
  json: Buffer;
  /** A hash of `json`, taken once, from which the page's ETag is made. */
  hash: string;
  hasMore: boolean;
  /** Authors of hidden posts on the page: each of them reads their own post's body, so they cannot share this copy. */
  hiddenPostAuthorIds: string[];
}

/** Enough for the busy threads of a working group; the oldest pages go first beyond it. */
const MAX_CACHED_BYTES = 32 * 2 ** 20;

/**
 * Pages of posts already turned into JSON, each tagged with the thread's postsRevision when it was read. A page is
 * served only while the thread's revision (read from the database with the thread, so every instance agrees) is the
 * same; any change to a post of the thread raises it.
 */
@Injectable()
export class PostPageCache {
  private readonly pages = new Map<string, { revision: number; page: CachedPostPage }>();
  private cachedBytes = 0;

  get(key: string, revision: number): CachedPostPage | undefined {
    const entry = this.pages.get(key);
    if (!entry || entry.revision !== revision) return undefined;
    // read again, so it moves to the young end of the map's order
    this.pages.delete(key);
    this.pages.set(key, entry);
    return entry.page;
  }

  set(key: string, revision: number, page: CachedPostPage): void {
    this.remove(key);
    if (page.json.length > MAX_CACHED_BYTES / 4) return;
    this.pages.set(key, { revision, page });
    this.cachedBytes += page.json.length;
    for (const oldest of this.pages.keys()) {
      if (this.cachedBytes <= MAX_CACHED_BYTES) break;
      this.remove(oldest);
    }
  }

  private remove(key: string): void {
    const entry = this.pages.get(key);
    if (!entry) return;
    this.pages.delete(key);
    this.cachedBytes -= entry.page.json.length;
  }
}
