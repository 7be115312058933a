import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeAllClients, connect, raw, refusal } from './live/live-client';
import { createTestApp, TEST_PASSWORD, type TestApp, type TestUser } from './support/test-app';

const changePassword = (app: TestApp, who: TestUser, currentPassword: string, newPassword: string) =>
  app.http().put('/api/me/password').set('Authorization', who.auth).send({ currentPassword, newPassword });

/** Issue 12, item 9: tokens carry the account's version; a password change, a disable and an enable raise it. */
describe('token versions', () => {
  let t: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.createUser({ role: 'admin' });
  });
  afterEach(() => closeAllClients());
  afterAll(() => t.close());

  const me = (auth: string) => t.http().get('/api/auth/me').set('Authorization', auth);
  const signIn = async (email: string, password: string) =>
    (await t.http().post('/api/auth/login').send({ email, password }).expect(200)).body.accessToken as string;

  it('PUT /api/me/password answers a fresh token; every older token stops working over HTTP and live, even just used', async () => {
    const camille = await t.createUser();
    const otherTab = await signIn(camille.user.email, TEST_PASSWORD);
    const socket = await connect(t.url, camille.token);
    // the users' short cache now holds the account: it must not let the old tokens through afterwards
    await me(camille.auth).expect(200);
    await me(`Bearer ${otherTab}`).expect(200);

    const changed = await changePassword(t, camille, TEST_PASSWORD, 'un nouveau secret').expect(200);
    expect(Object.keys(changed.body)).toEqual(['accessToken']);

    await me(camille.auth).expect(401);
    await me(`Bearer ${otherTab}`).expect(401);
    expect((await me(`Bearer ${changed.body.accessToken}`).expect(200)).body.id).toBe(camille.user.id);
    expect((await refusal(t.url, camille.token)).message).toBe('unauthorized');
    expect(await raw(socket, 'session:join', { sessionId: '00000000-0000-4000-8000-000000000000' })).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
    await connect(t.url, changed.body.accessToken as string);
    await t.http().post('/api/auth/login').send({ email: camille.user.email, password: TEST_PASSWORD }).expect(401);
    await signIn(camille.user.email, 'un nouveau secret');
  });

  it('refuses a wrong current password with a 403 and changes nothing', async () => {
    const dominique = await t.createUser();
    const wrong = await changePassword(t, dominique, 'pas le bon', 'un nouveau secret').expect(403);
    expect(wrong.body.message).toBe('currentPassword : le mot de passe actuel est incorrect.');
    await me(dominique.auth).expect(200);
    await signIn(dominique.user.email, TEST_PASSWORD);
    const short = await changePassword(t, dominique, TEST_PASSWORD, 'court').expect(400);
    expect(short.body.message).toEqual(['newPassword doit compter au moins 8 caractères.']);
  });

  it('a token issued before a disable does not work again after the enable; a new sign-in does', async () => {
    const eve = await t.createUser();
    await me(eve.auth).expect(200);
    await t.http().patch(`/api/users/${eve.user.id}`).set('Authorization', admin.auth).send({ disabled: true }).expect(200);
    await me(eve.auth).expect(401);
    await t.http().patch(`/api/users/${eve.user.id}`).set('Authorization', admin.auth).send({ disabled: false }).expect(200);
    await me(eve.auth).expect(401);
    expect((await refusal(t.url, eve.token)).message).toBe('unauthorized');
    await me(`Bearer ${await signIn(eve.user.email, TEST_PASSWORD)}`).expect(200);
  });

  it('a token newer than the account another instance keeps in its short cache works there at once', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'essor-tokens-'));
    const file = join(directory, 'essor.sqlite');
    const env = { JWT_SECRET: 'un secret partagé par les deux instances du test' };
    const first = await createTestApp({ sqliteFile: file, env });
    const second = await createTestApp({ sqliteFile: file, env, seed: false });
    try {
      const frank = await first.createUser();
      await second.http().get('/api/auth/me').set('Authorization', frank.auth).expect(200);
      const changed = await changePassword(first, frank, TEST_PASSWORD, 'un nouveau secret').expect(200);
      await second.http().get('/api/auth/me').set('Authorization', `Bearer ${changed.body.accessToken}`).expect(200);
    } finally {
      await second.close();
      await first.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
