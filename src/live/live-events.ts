import type {
  AgendaItemShape,
  AttachmentShape,
  AuthorShape,
  MetropolisSummaryShape,
  ModerationCountShape,
  PollShape,
  PostShape,
  PresenceUserShape,
  RoleName,
  SessionShape,
  ThreadShape,
  TopicShape,
} from '../common/http-views';

/**
 * The live API (socket.io, namespace /live) in one place: every event each way, its payload and its acknowledgement.
 * Types only; its one import is the objects it carries, from the HTTP views (types only too, with no import), so the
 * browser client can `import type` this file as it is. The server's views
 * (PostView, SessionView…) are checked against these shapes wherever the gateway and the broadcaster emit them.
 */

// ---- acknowledgements ---------------------------------------------------------------------------------------------

/** `conflict` is Essor's addition to the contract's list (a 409, e.g. a clientKey reused in another thread). */
export type LiveErrorCode = 'bad_request' | 'unauthorized' | 'forbidden' | 'not_found' | 'conflict' | 'rate_limited' | 'internal';

export interface LiveError {
  code: LiveErrorCode;
  /** Human-readable; for a bad payload it names each offending field (class-validator's wording). */
  message: string;
  /** With `rate_limited`: the seconds to wait before trying again. */
  retryAfter?: number;
}

export type LiveOk<T extends object = Record<never, never>> = { ok: true } & T;
export interface LiveFailure {
  ok: false;
  error: LiveError;
}
export type LiveAck<T extends object = Record<never, never>> = LiveOk<T> | LiveFailure;
export type LiveAckCallback<T extends object = Record<never, never>> = (answer: LiveAck<T>) => void;

// ---- shapes on the wire (the contract's objects) ------------------------------------------------------------------

/** The same objects as the HTTP API's views: declared once, in the import-free src/common/http-views.ts. */
export type LiveRole = RoleName;
export type LiveMetropolisSummary = MetropolisSummaryShape;
export type LiveAuthor = AuthorShape;
/** A person in a presence list. */
export type LiveUserSummary = PresenceUserShape;
export type LivePost = PostShape;
export type LiveAgendaItem = AgendaItemShape;
export type LiveSession = SessionShape;
export type LiveTopic = TopicShape;
/** `myVote` is the voter's own choice in a vote's ack, null in broadcasts. */
export type LivePoll = PollShape;
/** A file attached to a post, practice or session. */
export type LiveAttachment = AttachmentShape;

export type LiveNotificationKind = 'mention' | 'reply' | 'watched' | 'session-reminder' | 'session-started' | 'practice-published' | 'flag';

/** A notification of the person the socket belongs to (the `Notification` of CONTRACT.md's « Follow-up »). */
export interface LiveNotification {
  id: string;
  kind: LiveNotificationKind;
  createdAt: string;
  readAt: string | null;
  actor: { id: string; displayName: string } | null;
  threadId: string | null;
  postId: string | null;
  seq: number | null;
  sessionId: string | null;
  practiceId: string | null;
  flagId: string | null;
  /** The session's, the practice's or else the thread's title. */
  title: string;
  /** Plain text of the post, at most 200 characters; '' when the person may not see it. */
  excerpt: string;
  /** How many posts it stands for: a `watched` notification, every post of others in its thread from `seq` on until it is read; else 1. */
  count: number;
}

/** A thread as lists show it (without the reader's own fields, which each client keeps). */
export type LiveThread = ThreadShape;

/** A new post somewhere: lists move the thread up and count it unread unless the reader wrote it. */
export interface ThreadActivity {
  threadId: string;
  topicId: string | null;
  lastSeq: number;
  postCount: number;
  lastPostAt: string;
  authorId: string;
}

// ---- client → server ------------------------------------------------------------------------------------------------

export interface SessionJoinPayload {
  sessionId: string;
}
export interface SessionLeavePayload {
  sessionId: string;
}
export interface ThreadSubscribePayload {
  threadId: string;
  /** Only posts with a greater seq; 0 or absent for the thread from its start. */
  afterSeq?: number | null;
}
export interface ThreadUnsubscribePayload {
  threadId: string;
}
export interface PostCreatePayload {
  threadId: string;
  body: string;
  parentId?: string | null;
  /** Chosen by the client (a UUID, say); resending with the same key returns the first post, never a duplicate. */
  clientKey?: string | null;
  /** Uploads of the sender (POST /api/attachments) to attach to the post. */
  attachmentIds?: string[];
}
export interface TypingPayload {
  threadId: string;
}
/** The reader has seen the thread up to `seq` (as posts scroll into view). */
export interface ThreadReadPayload {
  threadId: string;
  seq: number;
}
export interface PollVotePayload {
  pollId: string;
  optionIndex: number;
}

export interface SessionJoinResult {
  session: LiveSession;
  presence: LiveUserSummary[];
}
export interface ThreadSubscribeResult {
  /** seq > afterSeq, in order, at most THREAD_PAGE_SIZE (200). */
  posts: LivePost[];
  /** The thread's last seq when the page was read. */
  lastSeq: number;
  /** Subscribe again with afterSeq = the last seq received while this is true. */
  hasMore: boolean;
}
export interface PostCreateResult {
  post: LivePost;
}
export interface PollVoteResult {
  poll: LivePoll;
}
export interface ThreadReadResult {
  /** Where the read marker stands now: it never moves back, and stops at the thread's last seq. */
  lastReadSeq: number;
}

export interface ClientToServerEvents {
  'session:join': (payload: SessionJoinPayload, ack: LiveAckCallback<SessionJoinResult>) => void;
  'session:leave': (payload: SessionLeavePayload, ack: LiveAckCallback) => void;
  'thread:subscribe': (payload: ThreadSubscribePayload, ack: LiveAckCallback<ThreadSubscribeResult>) => void;
  'thread:unsubscribe': (payload: ThreadUnsubscribePayload, ack: LiveAckCallback) => void;
  'post:create': (payload: PostCreatePayload, ack: LiveAckCallback<PostCreateResult>) => void;
  typing: (payload: TypingPayload, ack: LiveAckCallback) => void;
  'poll:vote': (payload: PollVotePayload, ack: LiveAckCallback<PollVoteResult>) => void;
  'thread:read': (payload: ThreadReadPayload, ack: LiveAckCallback<ThreadReadResult>) => void;
}

// ---- server → client ------------------------------------------------------------------------------------------------

export interface TypingNotice {
  threadId: string;
  user: { id: string; displayName: string };
}

export interface PresenceUpdate {
  sessionId: string;
  /** Everyone with a socket in the session's room now, each person once. */
  users: LiveUserSummary[];
}

export interface ServerToClientEvents {
  'post:created': (post: LivePost) => void;
  'post:updated': (post: LivePost) => void;
  'post:deleted': (post: LivePost) => void;
  typing: (notice: TypingNotice) => void;
  'presence:update': (update: PresenceUpdate) => void;
  'session:updated': (session: LiveSession) => void;
  'topic:updated': (topic: LiveTopic) => void;
  'poll:updated': (poll: LivePoll) => void;
  /** To moderators (the `moderators` room) whenever the number of posts with open reports changes. */
  'moderation:count': (count: ModerationCountShape) => void;
  /** To the person's own room (`user:<id>`), every socket of theirs on every instance. */
  'notification:created': (notification: LiveNotification) => void;
  /** To everyone, at every new post. */
  'thread:activity': (activity: ThreadActivity) => void;
  /** To everyone, when a thread is opened in a topic. */
  'thread:created': (thread: LiveThread) => void;
}

/** Between instances (the Redis adapter's serverSideEmit): each instance hands notifications to its own sockets. */
export interface InterServerEvents {
  'notifications:deliver': (batch: LiveNotificationBatch) => void;
}

export interface LiveNotificationBatch {
  notification: Omit<LiveNotification, 'id'>;
  recipients: Array<{ userId: string; id: string }>;
}

/** What the server keeps on each socket (`socket.data`); plain data, since the Redis adapter ships it between instances. */
export interface LiveSocketData {
  user: LiveUserSummary;
  /** The sessions this socket joined, so a disconnect can refresh their presence. */
  sessionIds: string[];
  /** The account's token version at the handshake: once a password change raises it, this socket's events are refused. */
  tokenVersion: number;
}
