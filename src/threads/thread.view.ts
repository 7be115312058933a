import { ApiProperty } from '@nestjs/swagger';
import type { CreatedThreadShape, ThreadPageShape, ThreadShape } from '../common/http-views';
import { WATCH_LEVELS, type WatchLevel } from '../follow-up/thread-watch.entity';
import { PostView } from '../posts/post.view';
import { AuthorView, toAuthorView } from '../users/user.view';
import { THREAD_CONTEXTS, Thread, type ThreadContext } from './thread.entity';

export class ThreadView implements ThreadShape {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) topicId: string | null;
  @ApiProperty({ enum: THREAD_CONTEXTS, description: 'A topic discussion, an agenda item of a session, or a practice sheet' })
  context: ThreadContext;
  @ApiProperty() title: string;
  @ApiProperty({ type: AuthorView }) author: AuthorView;
  @ApiProperty() pinned: boolean;
  @ApiProperty() locked: boolean;
  @ApiProperty() postCount: number;
  @ApiProperty() lastSeq: number;
  @ApiProperty({ nullable: true, type: String }) lastPostAt: string | null;
  @ApiProperty() createdAt: string;
}

/** A thread as one reader sees it in lists: how far they read and how many posts of others they have not. */
export class ReaderThreadView extends ThreadView {
  @ApiProperty({ description: 'The highest seq the reader has read (0: nothing yet)' }) lastReadSeq: number;
  @ApiProperty({ description: 'Posts of others after lastReadSeq, not deleted nor hidden' }) unreadCount: number;
}

/** The thread on its own page: the reader's fields and how closely they follow it. */
export class ThreadPageThreadView extends ReaderThreadView {
  @ApiProperty({ enum: WATCH_LEVELS, description: 'watching: every post; normal: mentions and direct replies; muted: mentions only' })
  watchLevel: WatchLevel;
}

export class ThreadPageView implements ThreadPageShape {
  @ApiProperty({ type: ThreadPageThreadView }) thread: ThreadPageThreadView;
  @ApiProperty({ type: [PostView], description: 'Posts with seq > afterSeq, in seq order' }) posts: PostView[];
  @ApiProperty({ description: 'More posts follow: ask again with afterSeq = the last seq received' }) hasMore: boolean;
}

export class CreatedThreadView implements CreatedThreadShape {
  @ApiProperty({ type: ThreadView }) thread: ThreadView;
  @ApiProperty({ type: PostView }) post: PostView;
}

/** The author relation (with its metropolis) must be loaded. */
export function toThreadView(thread: Thread): ThreadView {
  return {
    id: thread.id,
    topicId: thread.topicId,
    context: thread.context,
    title: thread.title,
    author: toAuthorView(thread.author),
    pinned: thread.pinned,
    locked: thread.locked,
    postCount: thread.postCount,
    lastSeq: thread.lastSeq,
    lastPostAt: thread.lastPostAt ? thread.lastPostAt.toISOString() : null,
    createdAt: thread.createdAt.toISOString(),
  };
}
