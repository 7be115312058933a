import { simpleParser } from 'mailparser';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OutboxMail } from '../../src/mail/outbox-mail.entity';
import { PasswordReset } from '../../src/password-reset/password-reset.entity';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app';
import { linksOf, type MailTestApp, rawHeader, recipientsOf, type SmtpCapture, startMailTestApp } from './smtp-capture';

const resetToken = (links: string[]): string => {
  const link = links.find((candidate) => candidate.startsWith('https://essor.example.org/#/reset?token='));
  if (!link) throw new Error(`no reset link in ${links.join(', ')}`);
  return decodeURIComponent(new URL(link.replace('/#/', '/')).searchParams.get('token') ?? '');
};

describe('password reset by e-mail', () => {
  let mailApp: MailTestApp;
  let smtp: SmtpCapture;
  let t: TestApp;

  beforeAll(async () => {
    ({ smtp, t } = mailApp = await startMailTestApp());
  });

  afterAll(() => mailApp.close());

  it('answers 202 for any address, mails a single-use link valid about an hour, and signs in with the new password', async () => {
    const camille = await t.createUser({ displayName: 'Camille Martin', email: 'camille@example.org' });
    await t.http().post('/api/auth/password-reset').send({ email: 'personne@example.org' }).expect(202);
    await t.http().post('/api/auth/password-reset').send({ email: 'Camille@Example.org' }).expect(202);
    const [mail] = await smtp.waitFor(1);
    expect(recipientsOf(mail)).toEqual(['camille@example.org']);
    expect(mail.subject).toBe('Réinitialisation de votre mot de passe Essor');
    expect(mail.html).toContain('Choisir un nouveau mot de passe');
    expect(mail.text).toContain('Bonjour Camille Martin');
    // a password reset is not a newsletter: no unsubscribe header
    expect(rawHeader(mail, 'List-Unsubscribe')).toBeUndefined();
    const token = resetToken(linksOf(mail));

    // only the hash is stored, and it expires within the hour
    const [stored] = await t.dataSource.getRepository(PasswordReset).findBy({ userId: camille.user.id });
    expect(stored.tokenHash).not.toContain(token);
    expect(stored.expiresAt.getTime() - stored.createdAt.getTime()).toBeLessThanOrEqual(60 * 60_000 + 1000);

    const signedIn = await t.http().post('/api/auth/password-reset/confirm').send({ token, password: 'un-nouveau-secret' }).expect(200);
    expect(signedIn.body.user.id).toBe(camille.user.id);
    await t.http().get('/api/auth/me').set('Authorization', `Bearer ${signedIn.body.accessToken}`).expect(200);
    // the password changed through the one path that raises the token version: tokens issued before stop working
    await t.http().get('/api/auth/me').set('Authorization', camille.auth).expect(401);
    await t.http().post('/api/auth/login').send({ email: 'camille@example.org', password: 'un-nouveau-secret' }).expect(200);
    await t.http().post('/api/auth/login').send({ email: 'camille@example.org', password: TEST_PASSWORD }).expect(401);

    const again = await t.http().post('/api/auth/password-reset/confirm').send({ token, password: 'encore-un-autre' }).expect(400);
    expect(again.body.message).toContain('plus valable');
    expect(smtp.mails).toHaveLength(1);
  });

  it('refuses an expired link, an unknown one and a short password, and loses nothing', async () => {
    const dominique = await t.createUser({ email: 'dominique@example.org' });
    const before = smtp.mails.length;
    await t.http().post('/api/auth/password-reset').send({ email: 'dominique@example.org' }).expect(202);
    const mails = await smtp.waitFor(before + 1);
    const token = resetToken(linksOf(mails[before]));

    await t.http().post('/api/auth/password-reset/confirm').send({ token, password: 'court' }).expect(400);
    await t.http().post('/api/auth/password-reset/confirm').send({ token: 'inconnu', password: 'un-nouveau-secret' }).expect(400);
    await t.http().post('/api/auth/password-reset').send({ email: 'pas-une-adresse' }).expect(400);
    await t.dataSource.getRepository(PasswordReset).update({ userId: dominique.user.id }, { expiresAt: new Date(Date.now() - 1000) });
    await t.http().post('/api/auth/password-reset/confirm').send({ token, password: 'un-nouveau-secret' }).expect(400);
    await t.http().post('/api/auth/login').send({ email: 'dominique@example.org', password: TEST_PASSWORD }).expect(200);
  });

  it('sends nothing to a disabled account', async () => {
    const gone = await t.createUser({ email: 'parti@example.org' });
    await t.dataSource.getRepository('User').update({ id: gone.user.id }, { disabled: true });
    await t.http().post('/api/auth/password-reset').send({ email: 'parti@example.org' }).expect(202);
    expect(await t.dataSource.getRepository(OutboxMail).countBy({ userId: gone.user.id })).toBe(0);
  });
});

describe('without SMTP_URL', () => {
  it('writes every message as an .eml file under the data directory’s outbox/', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'essor-outbox-'));
    const t = await createTestApp({ env: { DATA_DIR: dataDir, PUBLIC_URL: 'https://essor.example.org', MAIL_POLL_MS: '50' } });
    try {
      await t.createUser({ email: 'eml@example.org', displayName: 'Élise' });
      await t.http().post('/api/auth/password-reset').send({ email: 'eml@example.org' }).expect(202);
      const outbox = join(dataDir, 'outbox');
      const deadline = Date.now() + 10_000;
      let files: string[] = [];
      while (files.length === 0 && Date.now() < deadline) {
        files = readdirSync(outbox).filter((name) => name.endsWith('.eml'));
        if (files.length === 0) await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(files).toHaveLength(1);
      const mail = await simpleParser(readFileSync(join(outbox, files[0])));
      expect(recipientsOf(mail)).toEqual(['eml@example.org']);
      expect(mail.subject).toBe('Réinitialisation de votre mot de passe Essor');
      expect(mail.text).toContain('Bonjour Élise');
      expect(linksOf(mail).some((link) => link.startsWith('https://essor.example.org/#/reset?token='))).toBe(true);
      const row = await t.dataSource.getRepository(OutboxMail).findOneByOrFail({ recipient: 'eml@example.org' });
      expect(row.status).toBe('sent');
    } finally {
      await t.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
