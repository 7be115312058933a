import { io } from 'socket.io-client';
import { createTestApp, type TestApp, type TestUser } from '../support/test-app';
import { closeAllClients, connect, ok, raw, send } from './live-client';

/** Issue 12, item 7: the live API is /live only, and every event there gets an answer. */
describe('live namespaces and unknown events', () => {
  let t: TestApp;
  let alice: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    alice = await t.createUser();
  });
  afterEach(() => closeAllClients());
  afterAll(() => t.close());

  /** The connect_error of a handshake on a namespace, or a failure if it is accepted. */
  function refusalOn(namespace: string, token?: string): Promise<string> {
    const socket = io(`${t.url}${namespace}`, { auth: token ? { token } : {}, transports: ['websocket'], reconnection: false, forceNew: true });
    return new Promise((resolve, reject) => {
      socket.once('connect', () => {
        socket.close();
        reject(new Error(`the handshake on ${namespace} was accepted`));
      });
      socket.once('connect_error', (error) => {
        socket.close();
        resolve(error.message);
      });
    });
  }

  it('refuses connections on the default namespace, with or without a valid token, and on any other namespace', async () => {
    expect(await refusalOn('/')).toBe('Invalid namespace');
    expect(await refusalOn('/', alice.token)).toBe('Invalid namespace');
    expect(await refusalOn('/admin', alice.token)).toBe('Invalid namespace');
    const live = await connect(t.url, alice.token);
    expect(live.connected).toBe(true);
  });

  it('answers an unknown event on /live with bad_request at once, and the socket keeps working', async () => {
    const socket = await connect(t.url, alice.token);
    expect(await raw(socket, 'post:delete', { postId: 'x' })).toEqual({
      ok: false,
      error: { code: 'bad_request', message: 'Événement inconnu : post:delete.' },
    });
    expect(await raw(socket, 'x'.repeat(500))).toEqual({
      ok: false,
      error: { code: 'bad_request', message: `Événement inconnu : ${'x'.repeat(100)}.` },
    });
    expect(ok(await send(socket, 'session:leave', { sessionId: '00000000-0000-4000-8000-000000000000' }))).toEqual({ ok: true });
  });
});
