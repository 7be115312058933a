/**
 * The one socket of the client: connects to /live after sign-in, exposes the connection state, and keeps thread
 * subscriptions alive across reconnections by subscribing again with `afterSeq` = the last seq received. Views never
 * touch the socket: they subscribe to typed events with `on()` and hand the returned function to their view's
 * `onLeave`, so leaving a view removes every listener it had.
 * Event and payload types come from the server's own declaration (src/live/live-events.ts, types only).
 */
import { io, type Socket } from 'socket.io-client';
import { ApiError, NO_ANSWER } from './api';
import { frenchMessages } from './errors';
import type {
  ClientToServerEvents,
  LiveAck,
  LivePoll,
  LivePost,
  LiveSession,
  LiveUserSummary,
  PostCreatePayload,
  ServerToClientEvents,
} from '../../src/live/live-events';

export type {
  LiveAuthor,
  LivePoll,
  LivePost,
  LiveRole,
  LiveSession,
  LiveThread,
  LiveTopic,
  LiveUserSummary,
  PostCreatePayload,
  PresenceUpdate,
  TypingNotice,
} from '../../src/live/live-events';

export type ConnectionState = 'connected' | 'reconnecting' | 'offline';
export const CONNECTION_LABELS: Record<ConnectionState, string> = {
  connected: 'connecté',
  reconnecting: 'reconnexion…',
  offline: 'hors ligne',
};

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** What a view registers to follow a thread: where to resume and what to do with each post. */
export interface ThreadFollower {
  lastSeq(): number;
  onPosts(posts: LivePost[]): void;
}

const ACK_TIMEOUT_MS = 10_000;
const NOT_CONNECTED = 'Connexion au direct indisponible.';
/** The HTTP status each refusal of the live API stands for, so callers handle both APIs' errors alike. */
const STATUS_OF_CODE: Record<string, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  internal: 500,
};

type Listener = (...args: never[]) => void;

/**
 * Where a person's posts waiting for the connection are kept, so that leaving their thread or reloading loses none;
 * one per account, so that nothing ever goes out under another account signed in on the same browser.
 */
const outboxKey = (userId: string): string => `essor.outbox.${userId}`;

function readOutbox(key: string): PostCreatePayload[] {
  try {
    const kept: unknown = JSON.parse(localStorage.getItem(key) ?? '[]');
    return Array.isArray(kept) ? (kept as PostCreatePayload[]) : [];
  } catch {
    return [];
  }
}

class Live {
  private socket: LiveSocket | null = null;
  private state: ConnectionState = navigator.onLine ? 'reconnecting' : 'offline';
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private readonly threads = new Map<string, ThreadFollower>();
  private readonly connectListeners = new Set<() => void>();
  private readonly eventListeners = new Map<string, Set<Listener>>();
  private outboxKey = '';
  private outbox: PostCreatePayload[] = [];
  private flushing = false;
  private onUnauthorized: () => void = () => undefined;

  constructor() {
    window.addEventListener('online', () => this.refreshState());
    window.addEventListener('offline', () => this.refreshState());
  }

  /** Connects as `userId` (whose outbox it then sends), with the HTTP token. */
  start(token: string, userId: string, onUnauthorized: () => void): void {
    this.stop();
    this.onUnauthorized = onUnauthorized;
    this.outboxKey = outboxKey(userId);
    this.outbox = readOutbox(this.outboxKey);
    const socket: LiveSocket = io('/live', { auth: { token }, transports: ['websocket'] });
    this.socket = socket;
    socket.on('connect', () => {
      this.refreshState();
      // catch up every followed thread from where it stopped, in order, with no duplicate (views dedupe by id)
      for (const [threadId, follower] of this.threads) void this.catchUp(threadId, follower);
      for (const listener of this.connectListeners) listener();
      void this.flushOutbox();
    });
    socket.on('disconnect', (reason) => {
      // the server closing the socket on purpose does not reconnect by itself
      if (reason === 'io server disconnect') socket.connect();
      this.refreshState();
    });
    socket.on('connect_error', (error) => {
      if (error.message === 'unauthorized') {
        this.stop();
        this.onUnauthorized();
        return;
      }
      this.refreshState();
    });
    socket.onAny((event: string, ...args: unknown[]) => {
      for (const listener of this.eventListeners.get(event) ?? []) (listener as (...received: unknown[]) => void)(...args);
    });
    socket.on('post:created', (post) => this.threads.get(post.threadId)?.onPosts([post]));
    socket.on('post:updated', (post) => this.threads.get(post.threadId)?.onPosts([post]));
    socket.on('post:deleted', (post) => this.threads.get(post.threadId)?.onPosts([post]));
    this.refreshState();
  }

  stop(): void {
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.socket = null;
    this.threads.clear();
    this.refreshState();
  }

  get connectionState(): ConnectionState {
    return this.state;
  }

  onState(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    listener(this.state);
    return () => this.stateListeners.delete(listener);
  }

  /** Listens to one server event, on this connection and the next ones; returns the function that stops listening. */
  on<E extends keyof ServerToClientEvents>(event: E, listener: ServerToClientEvents[E]): () => void {
    const listeners = this.eventListeners.get(event) ?? new Set<Listener>();
    this.eventListeners.set(event, listeners);
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  /** Called on every (re)connection, e.g. to join a session's room again. */
  onConnect(listener: () => void): () => void {
    this.connectListeners.add(listener);
    return () => this.connectListeners.delete(listener);
  }

  followThread(threadId: string, follower: ThreadFollower): () => void {
    this.threads.set(threadId, follower);
    if (this.socket?.connected) void this.catchUp(threadId, follower);
    return () => {
      if (this.threads.get(threadId) !== follower) return;
      this.threads.delete(threadId);
      if (this.socket?.connected) this.socket.emit('thread:unsubscribe', { threadId }, () => undefined);
    };
  }

  /** Sends a post over the socket; resolves with the stored post, rejects with a French message. */
  async createPost(payload: PostCreatePayload): Promise<LivePost> {
    const answer = await this.request<{ post: LivePost }>((socket, ack) => socket.emit('post:create', payload, ack));
    return answer.post;
  }

  /**
   * Keeps a post that could not be sent while its thread was on screen (the reader left it, or reloads): it is sent
   * at the next connection with its clientKey, so it is stored once. Kept in localStorage until then.
   */
  sendLater(payload: PostCreatePayload): void {
    if (this.outbox.some((kept) => kept.clientKey === payload.clientKey)) return;
    this.outbox.push(payload);
    this.saveOutbox();
    if (this.socket?.connected) void this.flushOutbox();
  }

  private async flushOutbox(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      for (const payload of [...this.outbox]) {
        try {
          await this.createPost(payload);
        } catch (error) {
          // not reached: the next connection tries again; refused (a thread locked since): nothing more can be done
          if (error instanceof ApiError && error.status === 0) return;
        }
        this.outbox = this.outbox.filter((kept) => kept.clientKey !== payload.clientKey);
        this.saveOutbox();
      }
    } finally {
      this.flushing = false;
    }
  }

  private saveOutbox(): void {
    if (this.outbox.length === 0) localStorage.removeItem(this.outboxKey);
    else localStorage.setItem(this.outboxKey, JSON.stringify(this.outbox));
  }

  async joinSession(sessionId: string): Promise<{ session: LiveSession; presence: LiveUserSummary[] }> {
    return this.request((socket, ack) => socket.emit('session:join', { sessionId }, ack));
  }

  leaveSession(sessionId: string): void {
    if (this.socket?.connected) this.socket.emit('session:leave', { sessionId }, () => undefined);
  }

  async vote(pollId: string, optionIndex: number): Promise<LivePoll> {
    const answer = await this.request<{ poll: LivePoll }>((socket, ack) => socket.emit('poll:vote', { pollId, optionIndex }, ack));
    return answer.poll;
  }

  /** Moves the reader's mark in a thread; resolves with where it stands now. */
  async markRead(threadId: string, seq: number): Promise<number> {
    const answer = await this.request<{ lastReadSeq: number }>((socket, ack) => socket.emit('thread:read', { threadId, seq }, ack));
    return answer.lastReadSeq;
  }

  typing(threadId: string): void {
    if (this.socket?.connected) this.socket.emit('typing', { threadId }, () => undefined);
  }

  private async catchUp(threadId: string, follower: ThreadFollower): Promise<void> {
    for (;;) {
      if (this.threads.get(threadId) !== follower) return;
      let answer: { posts: LivePost[]; hasMore: boolean };
      try {
        answer = await this.request((socket, ack) => socket.emit('thread:subscribe', { threadId, afterSeq: follower.lastSeq() }, ack));
      } catch {
        return; // the next 'connect' tries again
      }
      if (this.threads.get(threadId) !== follower) return;
      follower.onPosts(answer.posts);
      if (!answer.hasMore || answer.posts.length === 0) return;
    }
  }

  private request<T extends object>(send: (socket: LiveSocket, ack: (answer: LiveAck<T>) => void) => void): Promise<T> {
    return new Promise((resolve, reject) => {
      const socket = this.socket;
      // status 0: never reached the server, or no answer (the caller may send again); otherwise a refusal
      if (!socket?.connected) {
        reject(new ApiError(0, NOT_CONNECTED));
        return;
      }
      const timer = window.setTimeout(() => reject(new ApiError(0, NO_ANSWER)), ACK_TIMEOUT_MS);
      send(socket, (answer) => {
        window.clearTimeout(timer);
        if (answer.ok) resolve(answer);
        else {
          // the same French messages as HTTP: a bad_request names its fields as a 400 does
          const status = STATUS_OF_CODE[answer.error.code] ?? 500;
          reject(new ApiError(status, frenchMessages(status, { message: answer.error.message })));
        }
      });
    });
  }

  private refreshState(): void {
    const next: ConnectionState = this.socket?.connected ? 'connected' : navigator.onLine && this.socket ? 'reconnecting' : 'offline';
    if (next === this.state) return;
    this.state = next;
    for (const listener of this.stateListeners) listener(next);
  }
}

export const live = new Live();
