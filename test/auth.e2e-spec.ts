import { JwtService } from '@nestjs/jwt';
import { until } from './support/until';
import { createTestApp, TestApp, TEST_PASSWORD } from './support/test-app';

describe('accounts and roles (HTTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('signs in with the right pair and refuses a wrong one the same way as an unknown email', async () => {
    const { user } = await t.createUser({ metropolis: 'nantes-metropole' });
    const ok = await t.http().post('/api/auth/login').send({ email: user.email.toUpperCase(), password: TEST_PASSWORD }).expect(200);
    expect(ok.body.user).toMatchObject({ id: user.id, email: user.email, role: 'participant', metropolis: { slug: 'nantes-metropole' } });
    expect(ok.body.user.passwordHash).toBeUndefined();
    const me = await t.http().get('/api/auth/me').set('Authorization', `Bearer ${ok.body.accessToken}`).expect(200);
    expect(me.body.id).toBe(user.id);

    const wrong = await t.http().post('/api/auth/login').send({ email: user.email, password: 'pas-le-bon' }).expect(401);
    const unknown = await t.http().post('/api/auth/login').send({ email: 'personne@example.org', password: 'pas-le-bon' }).expect(401);
    expect(wrong.body).toEqual(unknown.body);
  });

  it('answers 401 without a token, with a bad token, and for a disabled account', async () => {
    await t.http().get('/api/auth/me').expect(401);
    await t.http().get('/api/auth/me').set('Authorization', 'Bearer not-a-token').expect(401);
    const admin = await t.createUser({ role: 'admin' });
    const victim = await t.createUser();
    await t.http().patch(`/api/users/${victim.user.id}`).set('Authorization', admin.auth).send({ disabled: true }).expect(200);
    await t.http().get('/api/auth/me').set('Authorization', victim.auth).expect(401);
    const login = await t.http().post('/api/auth/login').send({ email: victim.user.email, password: TEST_PASSWORD });
    expect(login.status).toBe(403);
  });

  it('refuses a token once it expires, even one already accepted (verified tokens are remembered a while)', async () => {
    const { user } = await t.createUser();
    const jwt = t.app.get(JwtService);
    const shortLived = jwt.sign({ sub: user.id }, { expiresIn: 1 });
    await t.http().get('/api/auth/me').set('Authorization', `Bearer ${shortLived}`).expect(200);
    // JWT expiry counts in whole seconds: wait for the second it names to have passed
    const expiresAtMs = jwt.decode<{ exp: number }>(shortLived).exp * 1000;
    await until('the token’s expiry passed', () => Date.now() > expiresAtMs, 5_000);
    await t.http().get('/api/auth/me').set('Authorization', `Bearer ${shortLived}`).expect(401);
  });

  it('registers by invitation only, with the metropolis and role the invitation fixes', async () => {
    const moderator = await t.createUser({ role: 'moderator' });
    const lyon = await t.metropolis('metropole-de-lyon');
    await t.http().post('/api/auth/register').send({ email: 'a@example.org', password: 'motdepasse1', displayName: 'A' }).expect(400);

    const invitation = await t
      .http()
      .post('/api/invitations')
      .set('Authorization', moderator.auth)
      .send({ email: 'Camille@Example.org', metropolisId: lyon.id })
      .expect(201);
    expect(invitation.body).toMatchObject({ email: 'camille@example.org', metropolisId: lyon.id, role: 'participant' });
    const wrongEmail = await t
      .http()
      .post('/api/auth/register')
      .send({ email: 'autre@example.org', password: 'motdepasse1', displayName: 'Autre', invitationCode: invitation.body.code });
    expect(wrongEmail.status).toBe(400);
    const registered = await t
      .http()
      .post('/api/auth/register')
      .send({ email: 'camille@example.org', password: 'motdepasse1', displayName: 'Camille', invitationCode: invitation.body.code })
      .expect(201);
    expect(registered.body.user).toMatchObject({ role: 'participant', metropolis: { id: lyon.id } });
    const again = await t
      .http()
      .post('/api/auth/register')
      .send({ email: 'camille2@example.org', password: 'motdepasse1', displayName: 'C', invitationCode: invitation.body.code });
    expect(again.status).toBe(400);
  });

  it('lets only an admin invite a moderator', async () => {
    const moderator = await t.createUser({ role: 'moderator' });
    const admin = await t.createUser({ role: 'admin' });
    const participant = await t.createUser();
    await t.http().post('/api/invitations').set('Authorization', participant.auth).send({ email: 'x@example.org' }).expect(403);
    await t.http().post('/api/invitations').set('Authorization', moderator.auth).send({ email: 'x@example.org', role: 'moderator' }).expect(403);
    await t.http().post('/api/invitations').set('Authorization', admin.auth).send({ email: 'x@example.org', role: 'moderator' }).expect(201);
  });

  it('refuses a taken email with 409', async () => {
    const admin = await t.createUser({ role: 'admin' });
    const existing = await t.createUser();
    const invitation = await t.http().post('/api/invitations').set('Authorization', admin.auth).send({ email: existing.user.email }).expect(201);
    await t
      .http()
      .post('/api/auth/register')
      .send({ email: existing.user.email, password: 'motdepasse1', displayName: 'Dup', invitationCode: invitation.body.code })
      .expect(409);
  });

  it('names each offending field and rejects unknown fields', async () => {
    const response = await t.http().post('/api/auth/register').send({ email: 'nope', password: 'short', displayName: '   ', extra: 1 }).expect(400);
    const messages: string[] = response.body.message;
    expect(response.body.error).toBe('Bad Request');
    for (const field of ['email', 'password', 'displayName', 'La propriété extra n’est pas autorisée.']) {
      expect(messages.some((message) => message.includes(field))).toBe(true);
    }
  });
});
