/**
 * The HTTP API's response shapes in one place, as `src/live/live-events.ts` is for the live API: the server's view
 * classes implement these interfaces and the browser client (`client/src/api.ts`) imports them as they are.
 * Types only and no import, so the client gets no server code with them. The objects that also travel live (a post,
 * a session, a topic, a poll) are the same objects on both APIs; live-events.ts declares the live names for them.
 */

export type RoleName = 'participant' | 'moderator' | 'admin';

export interface MetropolisSummaryShape {
  id: string;
  slug: string;
  name: string;
}

export interface MetropolisShape extends MetropolisSummaryShape {
  region: string;
}

/** A person beside what they wrote. */
export interface AuthorShape {
  id: string;
  displayName: string;
  metropolis: MetropolisSummaryShape | null;
}

/** A person in a presence list: the author and the role. */
export interface PresenceUserShape extends AuthorShape {
  role: RoleName;
}

export interface UserShape extends AuthorShape {
  email: string;
  /** Unique, lowercase ASCII: `@handle` in a post mentions this person. */
  handle: string;
  role: RoleName;
  disabled: boolean;
  createdAt: string;
}

export interface SignedInShape {
  accessToken: string;
  user: UserShape;
}

export interface InvitationShape {
  code: string;
  email: string;
  metropolisId: string | null;
  role: RoleName;
  expiresAt: string;
}

export interface TopicShape {
  id: string;
  slug: string;
  title: string;
  description: string;
  position: number;
  pinned: boolean;
  locked: boolean;
  archived: boolean;
  threadCount: number;
}

/** A file attached to a post, practice or session (docs/API.md « Documents »). */
export interface AttachmentShape {
  id: string;
  name: string;
  /** Read from the content, not from the name. */
  type: string;
  size: number;
  createdAt: string;
  /** The download; needs the Authorization header. */
  url: string;
  /** Images only: a scaled-down WebP. */
  previewUrl: string | null;
  alt: string | null;
  width: number | null;
  height: number | null;
  /** Who uploaded it. */
  uploader: { id: string; displayName: string };
}

export interface PostShape {
  id: string;
  threadId: string;
  /** 1, 2, 3… per thread with no gap: clients order and dedupe by it. */
  seq: number;
  parentId: string | null;
  author: AuthorShape;
  /** Markdown; empty when the post is deleted, or hidden from this reader (broadcasts carry what anybody may see). */
  body: string;
  /** `body` cooked into safe HTML when it was written; empty exactly when `body` is. */
  bodyHtml: string;
  createdAt: string;
  editedAt: string | null;
  deleted: boolean;
  hidden: boolean;
  /** Why a moderator hid the post: only for its author and moderators, null otherwise. */
  hiddenReason: string | null;
  /** The key the author's client chose, if any: lets it match the broadcast to its pending post. */
  clientKey: string | null;
  /** Its files; empty, like the body, when the post is deleted or hidden from this reader. */
  attachments: AttachmentShape[];
}

export type ThreadContextName = 'topic' | 'session' | 'practice';

/** How closely a reader follows a thread (`watchLevel` of a thread page, `PUT /api/threads/:id/watch`). */
export type WatchLevelName = 'watching' | 'normal' | 'muted';

export interface ThreadShape {
  id: string;
  topicId: string | null;
  context: ThreadContextName;
  title: string;
  author: AuthorShape;
  pinned: boolean;
  locked: boolean;
  postCount: number;
  lastSeq: number;
  lastPostAt: string | null;
  createdAt: string;
}

export interface ThreadPageShape {
  thread: ThreadShape;
  posts: PostShape[];
  hasMore: boolean;
}

export interface CreatedThreadShape {
  thread: ThreadShape;
  post: PostShape;
}

export interface AgendaItemShape {
  id: string;
  position: number;
  title: string;
  topicId: string | null;
  threadId: string;
  durationMinutes: number | null;
  /** When the live agenda last made this item current, and when it left it. */
  startedAt: string | null;
  endedAt: string | null;
  /** « Décisions et suites »: Markdown written by a moderator; empty when none. */
  decisions: string;
}

export interface SessionShape {
  id: string;
  title: string;
  /** Markdown. */
  description: string;
  /** `description` cooked into safe HTML when it was written. */
  descriptionHtml: string;
  startsAt: string;
  endsAt: string | null;
  location: string | null;
  videoUrl: string | null;
  status: 'scheduled' | 'live' | 'closed';
  agenda: AgendaItemShape[];
  currentItemId: string | null;
  participantCount: number;
  startedAt: string | null;
  closedAt: string | null;
  /** Whether the reader joined; only in answers to that reader, never in live broadcasts. */
  joined?: boolean;
  /** Agenda documents, slides. */
  attachments: AttachmentShape[];
}

/** GET /api/sessions/:id/minutes/html: the minutes for the screen. */
export interface MinutesShape {
  fileName: string;
  markdown: string;
  /** `markdown` cooked into safe HTML. */
  html: string;
}

/** One bar of a session's attendance: who joined from one metropolis (null: network staff). */
export interface SessionAttendanceShape {
  metropolis: MetropolisSummaryShape | null;
  participants: number;
}

export interface PollShape {
  id: string;
  sessionId: string;
  /** The agenda item that was current when the poll was launched. */
  agendaItemId: string | null;
  question: string;
  options: { index: number; label: string; votes: number }[];
  status: 'open' | 'closed';
  /** The reader's own choice; null in broadcasts. */
  myVote: number | null;
  totalVotes: number;
  /** Counts kept from those who have not voted until the poll closes (on by default). */
  hideResultsUntilVoted: boolean;
  /** The counts were withheld from this reader: every `votes` is 0 until they vote or the poll closes. */
  resultsHidden: boolean;
}

export type LeverKey = 'ecosystem-support' | 'direct-support' | 'land-and-third-places' | 'social-rnd' | 'responsible-purchasing' | 'local-dynamics';
export type StageKey = 'idea' | 'pilot' | 'running' | 'scaled';

export interface TopicSummaryShape {
  id: string;
  slug: string;
  title: string;
}

export interface PracticeShape {
  id: string;
  title: string;
  summary: string;
  /** Markdown. */
  description: string;
  /** `description` cooked into safe HTML when it was written. */
  descriptionHtml: string;
  metropolis: MetropolisSummaryShape;
  topics: TopicSummaryShape[];
  levers: LeverKey[];
  leverLabels: string[];
  partners: string[];
  stage: StageKey;
  stageLabel: string;
  links: string[];
  contact: string | null;
  threadId: string;
  postCount: number;
  author: AuthorShape | null;
  createdAt: string;
  updatedAt: string;
  /** The sheet's documents. */
  attachments: AttachmentShape[];
}

export interface PracticeGridShape {
  levers: { key: LeverKey; label: string }[];
  rows: {
    metropolis: MetropolisSummaryShape;
    counts: Record<LeverKey, number>;
    total: number;
    practices: Record<LeverKey, { id: string; title: string }[]>;
  }[];
  totals: Record<LeverKey, number>;
}

export interface SearchHitShape {
  type: 'thread' | 'post' | 'practice';
  /** The same as `type`. */
  kind: 'thread' | 'post' | 'practice';
  id: string;
  title: string;
  /** Plain text; `highlights` are [start, end) offsets of the matches in it. */
  snippet: string;
  highlights: Array<[number, number]>;
  /** The snippet as HTML: all of it escaped, each matching word in <mark>…</mark> (its only tag). */
  highlighted: string;
  threadId?: string;
  postId?: string;
  seq?: number;
  practiceId?: string;
  topicId?: string;
  sessionId?: string;
  author: AuthorShape | null;
  createdAt: string;
  /** A post hidden by the moderation (only moderators find those). */
  hidden: boolean;
}

export interface FlagShape {
  id: string;
  postId: string;
  reason: string;
  createdAt: string;
}

export interface QueueItemShape {
  /** As a moderator sees it (a hidden body stays readable). */
  post: PostShape;
  thread: { id: string; title: string };
  flagCount: number;
  reports: { reporter: AuthorShape; reason: string; createdAt: string }[];
  firstFlaggedAt: string;
}

export interface ResolutionShape {
  postId: string;
  resolution: 'hidden' | 'dismissed';
  closedFlags: number;
}

/** GET /api/moderation/count, and the live `moderation:count` to moderators when it changes. */
export interface ModerationCountShape {
  /** Posts with at least one open report. */
  open: number;
}
