import { createTestApp, type TestApp, type TestUser } from '../support/test-app';

describe('e-mail preferences', () => {
  let t: TestApp;
  let camille: TestUser;

  beforeAll(async () => {
    t = await createTestApp({ seed: false });
    camille = await t.createUser({ displayName: 'Camille' });
  });

  afterAll(() => t.close());

  it('start with mentions at once and a daily digest, and change one field at a time', async () => {
    const defaults = await t.http().get('/api/me/preferences').set('Authorization', camille.auth).expect(200);
    expect(defaults.body).toEqual({ emailMentions: 'immediate', digest: 'daily', emailReminders: 'immediate' });
    const weekly = await t.http().patch('/api/me/preferences').set('Authorization', camille.auth).send({ digest: 'weekly' }).expect(200);
    expect(weekly.body).toEqual({ emailMentions: 'immediate', digest: 'weekly', emailReminders: 'immediate' });
    const quiet = await t
      .http()
      .patch('/api/me/preferences')
      .set('Authorization', camille.auth)
      .send({ emailMentions: 'never', emailReminders: 'never' })
      .expect(200);
    expect(quiet.body).toEqual({ emailMentions: 'never', digest: 'weekly', emailReminders: 'never' });
    expect((await t.http().get('/api/me/preferences').set('Authorization', camille.auth).expect(200)).body).toEqual(quiet.body);
  });

  it('refuse unknown values and fields, and strangers', async () => {
    const bad = await t.http().patch('/api/me/preferences').set('Authorization', camille.auth).send({ digest: 'monthly' }).expect(400);
    expect(JSON.stringify(bad.body.message)).toContain('digest');
    await t.http().patch('/api/me/preferences').set('Authorization', camille.auth).send({ sms: 'always' }).expect(400);
    await t.http().get('/api/me/preferences').expect(401);
    await t.http().patch('/api/me/preferences').send({ digest: 'never' }).expect(401);
  });

  it('one-click links refuse a token Essor did not sign', async () => {
    const page = await t.http().get('/api/unsubscribe?token=abc.def').expect(400);
    expect(page.body.message).toBe('Ce lien de désabonnement n’est pas valide.');
    await t.http().post('/api/unsubscribe').expect(400);
  });
});
