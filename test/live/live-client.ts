import { io, Socket } from 'socket.io-client';
import type { ClientToServerEvents, LiveAck, ServerToClientEvents } from '../../src/live/live-events';

/** A typed client, as the browser will hold one: the shared event map, read from the server's point of view reversed. */
export type LiveClient = Socket<ServerToClientEvents, ClientToServerEvents>;

type AckOf<E extends keyof ClientToServerEvents> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0];
type PayloadOf<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[0];
type EventOf<E extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[E]>[0];

const ACK_TIMEOUT_MS = 15_000;

/** The same socket without the event map, to send what the contract forbids and to listen generically. */
interface UntypedSocket {
  on(event: string, listener: (...args: never[]) => void): unknown;
  off(event: string, listener: (...args: never[]) => void): unknown;
  emit(event: string, ...args: unknown[]): unknown;
}
export const untyped = (socket: LiveClient) => socket as unknown as UntypedSocket;
const open = new Set<Socket>();

function socketFor(url: string, token: string | undefined): LiveClient {
  const socket: LiveClient = io(`${url}/live`, {
    auth: token === undefined ? {} : { token },
    transports: ['websocket'],
    reconnection: false,
    // a Manager (one connection) per client: two clients of one person are two tabs
    forceNew: true,
  });
  open.add(socket);
  return socket;
}

/** Connects and resolves once connected; rejects with the connect_error. */
export function connect(url: string, token: string): Promise<LiveClient> {
  const socket = socketFor(url, token);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

/** Resolves with the connect_error of a refused handshake; fails if the connection is accepted. */
export function refusal(url: string, token: string | undefined): Promise<Error> {
  const socket = socketFor(url, token);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      socket.close();
      reject(new Error('the handshake was accepted'));
    });
    socket.once('connect_error', (error) => {
      socket.close();
      resolve(error);
    });
  });
}

/** Emits a contract event and waits for its acknowledgement. */
export function send<E extends keyof ClientToServerEvents>(socket: LiveClient, event: E, payload: PayloadOf<E>): Promise<AckOf<E>> {
  return raw(socket, event, payload);
}

/** Emits anything (a malformed payload, several arguments) and waits for the acknowledgement. */
export function raw(socket: LiveClient, event: string, ...args: unknown[]): Promise<LiveAck<Record<string, unknown>>> {
  return (socket as unknown as Socket).timeout(ACK_TIMEOUT_MS).emitWithAck(event, ...args) as Promise<LiveAck<Record<string, unknown>>>;
}

/** Asserts a successful ack and returns it with its fields typed. */
export function ok<T extends LiveAck<object>>(ack: T): Extract<T, { ok: true }> {
  if (!ack.ok) throw new Error(`expected ok, got ${JSON.stringify(ack)}`);
  return ack as Extract<T, { ok: true }>;
}

/** The next server event of that name (and matching the predicate), or a rejection after the timeout. */
export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: LiveClient,
  event: E,
  predicate: (payload: EventOf<E>) => boolean = () => true,
  timeoutMs = 5_000,
): Promise<EventOf<E>> {
  const target = untyped(socket);
  return new Promise((resolve, reject) => {
    const listener = (payload: EventOf<E>) => {
      if (!predicate(payload)) return;
      clearTimeout(timer);
      target.off(event, listener);
      resolve(payload);
    };
    const timer = setTimeout(() => {
      target.off(event, listener);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    target.on(event, listener);
  });
}

/** Records every event of that name from now on. */
export function record<E extends keyof ServerToClientEvents>(socket: LiveClient, event: E): EventOf<E>[] {
  const seen: EventOf<E>[] = [];
  untyped(socket).on(event, (payload: EventOf<E>) => seen.push(payload));
  return seen;
}

export function disconnected(socket: LiveClient, timeoutMs = 5_000): Promise<string> {
  return new Promise((resolve, reject) => {
    if (socket.disconnected) return resolve('already disconnected');
    const timer = setTimeout(() => reject(new Error(`not disconnected within ${timeoutMs} ms`)), timeoutMs);
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

/** A thread id that names no thread: unsubscribing from it is a harmless round trip. */
const NO_THREAD = '00000000-0000-4000-8000-000000000000';

/**
 * Resolves once everything this instance sent the socket before now has arrived: the ack of a round trip on the same
 * connection comes after it (one connection keeps its order). Lets a test say that nothing else came.
 */
export async function flushed(socket: LiveClient): Promise<void> {
  ok(await send(socket, 'thread:unsubscribe', { threadId: NO_THREAD }));
}

/** Closes every client opened by this file's tests. */
export function closeAllClients(): void {
  for (const socket of open) socket.close();
  open.clear();
}
