import { OutboxMail } from '../../src/mail/outbox-mail.entity';
import { MailPreferences } from '../../src/preferences/mail-preferences.entity';
import { createTestApp, discussionCast, testDatabaseUrl, type TestApp, type TestUser } from '../support/test-app';
import { handleOf, newThread, reply } from './follow-helpers';
import { mailEnv, recipientsOf, startSmtp, type SmtpCapture } from './smtp-capture';

const POSTGRES_SERVER = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Two instances on one PostgreSQL database and one Redis, each with its mail scheduler, as behind a load balancer. */
describe('two instances on PostgreSQL and Redis', () => {
  let smtp: SmtpCapture;
  let database: { url: string; drop: () => Promise<void> };
  let one: TestApp;
  let two: TestApp;

  beforeAll(async () => {
    smtp = await startSmtp();
    process.env.TEST_DATABASE_URL ??= POSTGRES_SERVER;
    database = await testDatabaseUrl();
    // one secret for both, as in a real deployment: a token of one instance is good on the other
    const env = mailEnv(smtp, {
      REDIS_URL,
      MAIL_POLL_MS: '20',
      MENTION_EMAIL_DELAY_S: '1',
      JWT_SECRET: 'two-instances-mail-secret-0123456789abcdef',
    });
    one = await createTestApp({ databaseUrl: database.url, env });
    two = await createTestApp({ databaseUrl: database.url, env, seed: false });
  }, 120_000);

  afterAll(async () => {
    await one?.close();
    await two?.close();
    await database?.drop();
    await smtp.close();
  });

  it('sends each digest and each mention mail once, however the two instances race', async () => {
    const cast = await discussionCast(one);
    const admin = await one.createUser({ role: 'admin' });
    const people: TestUser[] = [];
    for (let index = 0; index < 8; index += 1) people.push(await one.createUser({ displayName: `Personne ${index}` }));
    await one
      .http()
      .post('/api/sessions')
      .set('Authorization', cast.moderator.auth)
      .send({ title: 'Séance de Nantes', description: '', startsAt: new Date(Date.now() + 3 * 86_400_000).toISOString(), agenda: [] })
      .expect(201);
    // each of the eight is mentioned in a thread of their own, through the second instance
    for (const person of people) {
      const thread = await newThread(two, cast.bruno, cast.topicId, `Pour ${person.user.displayName}`, 'Bonjour');
      await reply(two, cast.bruno, thread.threadId, `${await handleOf(two, person)} une question pour toi`);
    }
    // the mention mails first (a digest sent before them would tell those posts, and they would not be mailed again)
    await smtp.waitFor(people.length, 30_000);
    // every digest due at once, and both instances asked to run them at the same moment besides their schedulers
    await one.dataSource.getRepository(MailPreferences).upsert(
      people.map((person) => ({ userId: person.user.id, lastDigestAt: new Date(Date.now() - 2 * 86_400_000) })),
      ['userId'],
    );
    await Promise.all(
      [one, two, one, two].map((instance) =>
        instance.http().post('/api/admin/digests/run').set('Authorization', admin.auth).send({ force: true }).expect(200),
      ),
    );

    // each of the eight gets a digest too; then nothing is left to send
    await smtp.waitFor(2 * people.length, 30_000);
    const outbox = one.dataSource.getRepository(OutboxMail);
    const deadline = Date.now() + 30_000;
    let rows = await outbox.find();
    while ((rows.some((row) => row.status !== 'sent') || smtp.mails.length < rows.length) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      rows = await outbox.find();
    }
    for (const person of people) {
      const theirs = smtp.mails.filter((mail) => recipientsOf(mail).includes(person.user.email));
      expect(theirs.map((mail) => mail.subject).sort()).toEqual([
        `Bruno vous a mentionné dans « Pour ${person.user.displayName} »`,
        expect.stringMatching(/^Essor, votre résumé quotidien : /),
      ]);
    }
    // nothing twice at all: as many messages received as recorded, each Message-ID once
    const messageIds = smtp.mails.map((mail) => mail.messageId);
    expect(new Set(messageIds).size).toBe(messageIds.length);
    expect(smtp.mails).toHaveLength(rows.length);
    expect(rows.every((row) => row.status === 'sent')).toBe(true);
  }, 120_000);
});
