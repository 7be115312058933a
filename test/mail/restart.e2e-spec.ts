import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OutboxMail } from '../../src/mail/outbox-mail.entity';
import { MailPreferences } from '../../src/preferences/mail-preferences.entity';
import { freePort, startServer, type ServerProcess } from '../live/server-process';
import { createTestApp, type TestApp, type TestUser } from '../support/test-app';
import { mailsTo } from './follow-helpers';
import { mailEnv, startSmtp, type SmtpCapture } from './smtp-capture';

const TWO_DAYS_AGO = () => new Date(Date.now() - 2 * 86_400_000);

describe('a restart in the middle of a digest run', () => {
  let smtp: SmtpCapture;
  let directory: string;
  let server: ServerProcess | undefined;
  let t: TestApp | undefined;

  beforeAll(async () => {
    smtp = await startSmtp();
    directory = mkdtempSync(join(tmpdir(), 'essor-restart-'));
  });

  afterAll(async () => {
    await server?.stop('SIGKILL');
    await t?.close();
    await smtp.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('loses nothing and doubles nothing when the instance is killed while sending', async () => {
    const sqliteFile = join(directory, 'essor.sqlite');
    // the data: three people due for a digest, with a session ahead to tell them about
    const setup = await createTestApp({ sqliteFile, env: mailEnv(smtp, { MAIL_POLL_MS: '60000' }) });
    const moderator = await setup.createUser({ role: 'moderator' });
    const people: TestUser[] = [];
    for (const name of ['Anne', 'Basile', 'Chloé']) people.push(await setup.createUser({ displayName: name }));
    await setup
      .http()
      .post('/api/sessions')
      .set('Authorization', moderator.auth)
      .send({ title: 'Séance de Bordeaux', description: '', startsAt: new Date(Date.now() + 3 * 86_400_000).toISOString(), agenda: [] })
      .expect(201);
    for (const person of people) {
      await setup.dataSource.getRepository(MailPreferences).upsert({ userId: person.user.id, lastDigestAt: TWO_DAYS_AGO() }, ['userId']);
    }
    await setup.close();

    // a server process plans the three digests and starts sending; the SMTP server holds the first message, and the
    // process is killed right then
    smtp.holdData = new Promise<void>(() => undefined);
    server = await startServer({
      PORT: String(await freePort()),
      DATABASE_URL: `sqlite:${sqliteFile}`,
      DATA_DIR: directory,
      SEED: 'false',
      LOG_LEVEL: 'warn',
      ...mailEnv(smtp, { MAIL_CLAIM_TIMEOUT_MS: '1500' }),
    });
    const deadline = Date.now() + 30_000;
    while (smtp.dataStarted === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(smtp.dataStarted).toBe(1);
    await server.stop('SIGKILL');
    server = undefined;
    smtp.holdData = undefined;
    expect(smtp.mails).toHaveLength(0);

    // after the restart: once the dead instance's claim lapses, each digest goes, once
    t = await createTestApp({ sqliteFile, env: mailEnv(smtp, { MAIL_CLAIM_TIMEOUT_MS: '1500' }) });
    const mails = await smtp.waitFor(3);
    for (const person of people) expect(mailsTo(mails, person)).toHaveLength(1);
    const outbox = t.dataSource.getRepository(OutboxMail);
    const idle = Date.now() + 20_000;
    while ((await outbox.countBy({ status: 'sent' })) < 3 && Date.now() < idle) await new Promise((resolve) => setTimeout(resolve, 25));
    const rows = await outbox.findBy({ kind: 'digest' });
    expect(rows.map((row) => row.status)).toEqual(['sent', 'sent', 'sent']);
    expect(Math.max(...rows.map((row) => row.attempts))).toBe(2);
    expect(smtp.mails).toHaveLength(3);
  }, 180_000);
});
