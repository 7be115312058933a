/** HTTP access to /api with the stored bearer token; errors become ApiError with a French message. */
import type { LiveAuthor, LivePoll, LivePost, LiveRole, LiveSession, LiveTopic } from './live';

const TOKEN_KEY = 'essor.token';

export interface User {
  id: string;
  email: string;
  displayName: string;
  role: LiveRole;
  metropolis: { id: string; slug: string; name: string } | null;
}
export type Topic = LiveTopic;
export type Post = LivePost;
/** `joined` comes only in answers for the reader, never in live broadcasts. */
export type Session = LiveSession & { joined?: boolean };
export type Poll = LivePoll;
export interface Thread {
  id: string;
  topicId: string | null;
  title: string;
  author: LiveAuthor;
  pinned: boolean;
  locked: boolean;
  postCount: number;
  lastSeq: number;
  lastPostAt: string | null;
}
export interface ThreadPage {
  thread: Thread;
  posts: Post[];
  hasMore: boolean;
}
/** One row of GET /sessions/:id/attendance: who joined from one metropolis (null: network staff). */
export interface AttendanceRow {
  metropolis: User['metropolis'];
  participants: number;
}
export interface Metropolis {
  id: string;
  slug: string;
  name: string;
  region: string;
}
export interface Practice {
  id: string;
  title: string;
  summary: string;
  description: string;
  metropolis: { id: string; slug: string; name: string } | null;
  topics: { id: string; slug: string; title: string }[];
  levers: string[];
  partners: string[];
  stage: 'idea' | 'pilot' | 'running' | 'scaled';
  links: string[];
  contact: string | null;
  threadId: string;
  author: LiveAuthor | null;
  createdAt: string;
  updatedAt: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
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

const STATUS_MESSAGES: Record<number, string> = {
  400: 'La demande est invalide.',
  401: 'Votre session a expiré : reconnectez-vous.',
  403: 'Vous n’avez pas le droit de faire cela.',
  404: 'Introuvable.',
  409: 'Conflit avec l’état actuel.',
  429: 'Trop de demandes : patientez quelques secondes.',
};

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const bearer = token.get();
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'Le serveur est injoignable : vérifiez votre connexion.');
  }
  if (response.status === 401 && bearer && path !== '/auth/login') onUnauthorized();
  const text = await response.text();
  const data: unknown = text ? safeJson(text) : undefined;
  if (!response.ok) throw new ApiError(response.status, errorMessage(response.status, data));
  return data as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function errorMessage(status: number, data: unknown): string {
  const fallback = STATUS_MESSAGES[status] ?? (status >= 500 ? 'Erreur du serveur : réessayez plus tard.' : `Erreur ${status}.`);
  if (status === 400 && data && typeof data === 'object' && 'message' in data) {
    const message = data.message;
    const detail = Array.isArray(message) ? message.join(' ; ') : typeof message === 'string' ? message : '';
    return detail ? `${fallback} (${detail})` : fallback;
  }
  return fallback;
}

/** Every page of a thread's posts, following hasMore with afterSeq. */
export async function loadThread(threadId: string, afterSeq = 0): Promise<ThreadPage> {
  const first = await api<ThreadPage>('GET', `/threads/${threadId}?afterSeq=${afterSeq}&limit=200`);
  const posts = [...first.posts];
  let hasMore = first.hasMore;
  while (hasMore && posts.length > 0) {
    const next = await api<ThreadPage>('GET', `/threads/${threadId}?afterSeq=${posts[posts.length - 1].seq}&limit=200`);
    posts.push(...next.posts);
    hasMore = next.hasMore && next.posts.length > 0;
  }
  return { thread: first.thread, posts, hasMore: false };
}

/** A file from an authenticated route (minutes, exports), handed to the browser as a download. */
export async function download(path: string, filename: string): Promise<void> {
  const bearer = token.get();
  const response = await fetch(`/api${path}`, { headers: bearer ? { Authorization: `Bearer ${bearer}` } : {} }).catch(() => null);
  if (!response) throw new ApiError(0, 'Le serveur est injoignable : vérifiez votre connexion.');
  if (!response.ok) throw new ApiError(response.status, STATUS_MESSAGES[response.status] ?? `Erreur ${response.status}.`);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
