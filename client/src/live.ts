/**
 * The one socket of the client: connects to /live after sign-in, exposes the connection state, and keeps thread
 * subscriptions alive across reconnections by subscribing again with `afterSeq` = the last seq received.
 * Event and payload types come from the server's own declaration (src/live/live-events.ts, types only).
 */
import { io, type Socket } from 'socket.io-client';
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

class Live {
  private socket: LiveSocket | null = null;
  private state: ConnectionState = navigator.onLine ? 'reconnecting' : 'offline';
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private readonly threads = new Map<string, ThreadFollower>();
  private readonly connectListeners = new Set<() => void>();
  private onUnauthorized: () => void = () => undefined;

  constructor() {
    window.addEventListener('online', () => this.refreshState());
    window.addEventListener('offline', () => this.refreshState());
  }

  start(token: string, onUnauthorized: () => void): void {
    this.stop();
    this.onUnauthorized = onUnauthorized;
    const socket: LiveSocket = io('/live', { auth: { token }, transports: ['websocket', 'polling'] });
    this.socket = socket;
    socket.on('connect', () => {
      this.refreshState();
      // catch up every followed thread from where it stopped, in order, with no duplicate (views dedupe by id)
      for (const [threadId, follower] of this.threads) void this.catchUp(threadId, follower);
      for (const listener of this.connectListeners) listener();
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

  /** The raw socket for views that listen to session, presence and poll events. */
  get raw(): LiveSocket | null {
    return this.socket;
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
      if (!socket?.connected) {
        reject(new Error('Connexion au direct indisponible.'));
        return;
      }
      const timer = window.setTimeout(() => reject(new Error('Le serveur ne répond pas.')), ACK_TIMEOUT_MS);
      send(socket, (answer) => {
        window.clearTimeout(timer);
        if (answer.ok) resolve(answer);
        else reject(new Error(LIVE_ERRORS[answer.error.code] ?? answer.error.message));
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

const LIVE_ERRORS: Record<string, string> = {
  bad_request: 'Contenu refusé par le serveur.',
  unauthorized: 'Votre session a expiré : reconnectez-vous.',
  forbidden: 'Vous n’avez pas le droit de faire cela.',
  not_found: 'Introuvable.',
  conflict: 'Conflit avec l’état actuel.',
  rate_limited: 'Trop de messages : patientez quelques secondes.',
  internal: 'Erreur du serveur : réessayez.',
};

export const live = new Live();
