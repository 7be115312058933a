import { Injectable } from '@nestjs/common';
import { RevisionCache } from '../common/revision-cache';

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
 * Pages of posts already turned into JSON, each tagged with the thread's postsRevision when it was read; any change
 * to a post of the thread raises it.
 */
@Injectable()
export class PostPageCache extends RevisionCache<CachedPostPage> {
  constructor() {
    super(MAX_CACHED_BYTES, (page) => page.json.length);
  }
}
