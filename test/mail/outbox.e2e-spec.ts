import { OutboxMail } from '../../src/mail/outbox-mail.entity';
import { retryDelayMs } from '../../src/mail/outbox.service';
import type { TestApp } from '../support/test-app';
import { type MailTestApp, recipientsOf, type SmtpCapture, startMailTestApp } from './smtp-capture';

/** Polls a condition with a bound. */
async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('retryDelayMs', () => {
  it('doubles the wait at each failure, up to an hour', () => {
    expect([1, 2, 3, 4].map((attempts) => retryDelayMs(attempts, 30_000))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(retryDelayMs(30, 30_000)).toBe(3_600_000);
  });
});

describe('the outbox', () => {
  let mailApp: MailTestApp;
  let smtp: SmtpCapture;
  let t: TestApp;

  beforeAll(async () => {
    ({ smtp, t } = mailApp = await startMailTestApp());
  });

  afterAll(() => mailApp.close());

  it('keeps a message while the SMTP server is down, retries with growing waits, and sends it once when it is back', async () => {
    await t.createUser({ email: 'panne@example.org' });
    await smtp.down();
    await t.http().post('/api/auth/password-reset').send({ email: 'panne@example.org' }).expect(202);
    const outbox = t.dataSource.getRepository(OutboxMail);
    const failing = await until('three failed attempts', async () => {
      const row = await outbox.findOneBy({ recipient: 'panne@example.org' });
      return row && row.attempts >= 3 && row.status === 'pending' ? row : undefined;
    });
    expect(failing.lastError).toMatch(/ECONNREFUSED|connect/i);

    await smtp.up();
    const [mail] = await smtp.waitFor(1);
    expect(recipientsOf(mail)).toEqual(['panne@example.org']);
    const sent = await until('the message marked sent', async () => {
      const row = await outbox.findOneBy({ recipient: 'panne@example.org' });
      return row?.status === 'sent' ? row : undefined;
    });
    expect(sent.sentAt).not.toBeNull();
    expect(sent.claimToken).toBeNull();
    // a few more turns of the scheduler send nothing more
    await t.http().post('/api/auth/password-reset').send({ email: 'personne@example.org' }).expect(202);
    await until('an idle outbox', async () => (await outbox.countBy({ status: 'pending' })) === 0);
    expect(smtp.mails).toHaveLength(1);
  });
});
