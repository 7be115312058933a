/**
 * HTTP access to /api with the stored bearer token. Every request has a time limit and can be cancelled (a view's
 * AbortSignal); every error becomes an ApiError with a French message. Response shapes are the server's own
 * declaration (src/common/http-views.ts, types only).
 */
import type {
  MetropolisShape,
  PollShape,
  PostShape,
  PracticeShape,
  SessionAttendanceShape,
  SessionShape,
  ThreadPageShape,
  ThreadShape,
  TopicShape,
  UserShape,
  WatchLevelName,
} from '../../src/common/http-views';
import { frenchMessages } from './errors';

export type * from '../../src/common/http-views';
export type User = UserShape;
/** `unreadCount` is the reader's (posts of others in the topic's threads not read); live broadcasts have none. */
export type Topic = TopicShape & { unreadCount?: number };
export type Post = PostShape;
export type Session = SessionShape;
export type Poll = PollShape;
/**
 * The reader's fields: the highest seq read, and the posts of others after it (none in live broadcasts); on the
 * thread's own page, how closely they follow it.
 */
export type Thread = ThreadShape & { lastReadSeq?: number; unreadCount?: number; watchLevel?: WatchLevelName };
export type ThreadPage = ThreadPageShape & { thread: Thread };
export type AttendanceRow = SessionAttendanceShape;
export type Metropolis = MetropolisShape;
export type Practice = PracticeShape;

const TOKEN_KEY = 'essor.token';
/** A request still unanswered after this is given up, so no screen waits forever on a stalled server. */
export const REQUEST_TIME_LIMIT_MS = 10_000;
export const UNREACHABLE = 'Le serveur est injoignable : vérifiez votre connexion.';
export const NO_ANSWER = 'Le serveur ne répond pas : réessayez dans un instant.';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The error of a request cancelled because its view was left: nothing is to be shown for it. */
export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

export const token = {
  get: (): string | null => localStorage.getItem(TOKEN_KEY),
  set: (value: string): void => localStorage.setItem(TOKEN_KEY, value),
  clear: (): void => localStorage.removeItem(TOKEN_KEY),
};

/** Called when the server refuses the token (expired, account disabled): the app signs out. */
let onUnauthorized: () => void = () => undefined;
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

/** `fetch` with the bearer token, the caller's signal and the time limit; the abort of `signal` passes through. */
async function send(method: string, path: string, body: unknown, signal: AbortSignal | undefined, accept: string): Promise<Response> {
  const headers: Record<string, string> = { Accept: accept };
  const bearer = token.get();
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (signal?.aborted) throw new DOMException('view left', 'AbortError');
  const limit = new AbortController();
  const timer = window.setTimeout(() => limit.abort(), REQUEST_TIME_LIMIT_MS);
  const cancel = (): void => limit.abort();
  signal?.addEventListener('abort', cancel);
  try {
    const response = await fetch(`/api${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: limit.signal,
    });
    if (response.status === 401 && bearer && path !== '/auth/login') onUnauthorized();
    return response;
  } catch (error) {
    if (signal?.aborted) throw new DOMException('view left', 'AbortError');
    // fetch fails with a TypeError when the network does, with an AbortError when the time limit ran out
    throw new ApiError(0, error instanceof TypeError ? UNREACHABLE : NO_ANSWER);
  } finally {
    window.clearTimeout(timer);
    signal?.removeEventListener('abort', cancel);
  }
}

export async function api<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  return readJson<T>(await send(method, path, body, signal, 'application/json'));
}

/** One page of a list that grows, and the path of the next one from its `Link: <…>; rel="next"` header (null: the last). */
export async function apiPage<T>(path: string, signal?: AbortSignal): Promise<{ items: T[]; next: string | null }> {
  const response = await send('GET', path, undefined, signal, 'application/json');
  const items = await readJson<T[]>(response);
  const link = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('Link') ?? '')?.[1];
  const next = link ? new URL(link, location.href) : null;
  return { items, next: next ? `${next.pathname.replace(/^\/api/, '')}${next.search}` : null };
}

async function readJson<T>(response: Response): Promise<T> {
  const text = await response.text();
  const data: unknown = text ? safeJson(text) : undefined;
  if (!response.ok) throw new ApiError(response.status, frenchMessages(response.status, data));
  return data as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Every page of a thread's posts, following hasMore with afterSeq. */
export async function loadThread(threadId: string, signal?: AbortSignal): Promise<ThreadPage> {
  const first = await api<ThreadPage>('GET', `/threads/${threadId}?afterSeq=0&limit=200`, undefined, signal);
  const posts = [...first.posts];
  let hasMore = first.hasMore;
  while (hasMore && posts.length > 0) {
    const next = await api<ThreadPage>('GET', `/threads/${threadId}?afterSeq=${posts[posts.length - 1].seq}&limit=200`, undefined, signal);
    posts.push(...next.posts);
    hasMore = next.hasMore && next.posts.length > 0;
  }
  return { thread: first.thread, posts, hasMore: false };
}

/** A file from an authenticated route (minutes, exports), handed to the browser as a download. */
export async function download(path: string, filename: string): Promise<void> {
  const response = await send('GET', path, undefined, undefined, '*/*');
  if (!response.ok) throw new ApiError(response.status, frenchMessages(response.status, undefined));
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
