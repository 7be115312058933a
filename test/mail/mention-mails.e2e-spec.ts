import { Notification } from '../../src/notifications/notification.entity';
import { discussionCast, type DiscussionCast, type TestApp, type TestUser } from '../support/test-app';
import { handleOf, mailsTo, newThread, readUpTo, reply, unsubscribeUrl } from './follow-helpers';
import { linksOf, type MailTestApp, rawHeader, type SmtpCapture, startMailTestApp } from './smtp-capture';

describe('e-mails for mentions and replies', () => {
  let mailApp: MailTestApp;
  let smtp: SmtpCapture;
  let t: TestApp;
  let cast: DiscussionCast;
  let carole: TestUser;

  beforeAll(async () => {
    ({ smtp, t } = mailApp = await startMailTestApp({ MENTION_EMAIL_DELAY_S: '2' }));
    cast = await discussionCast(t);
    carole = await t.createUser({ metropolis: 'metropole-europeenne-de-lille', displayName: 'Carole' });
  });

  afterAll(() => mailApp.close());

  it('mails what is still unread after the delay, one mail per thread, with links to the exact posts and one-click unsubscribe', async () => {
    const { alice, bruno } = cast;
    const start = await newThread(t, alice, cast.topicId, 'Achats responsables', 'Qui a une clause sociale type ?');
    const other = await newThread(t, carole, cast.topicId, 'Tiers-lieux', 'Un inventaire des tiers-lieux ?');
    // a reply to Alice and a mention of her in the same thread, a mention in another thread
    const answer = await reply(t, bruno, start.threadId, 'Oui, **la nôtre** <script>alert(1)</script> ![logo](https://example.org/x.png)', start.id);
    const mention = await reply(t, bruno, start.threadId, `${await handleOf(t, alice)} tu l’avais présentée en 2019, non ?`);
    const elsewhere = await reply(t, carole, other.threadId, `${await handleOf(t, alice)} ça t’intéresse ?`);
    // Carole is mentioned too but reads the post within the delay: no mail for her
    const caroleMention = await reply(t, bruno, start.threadId, `${await handleOf(t, carole)} et Lille ?`);
    await readUpTo(t, carole, start.threadId, caroleMention.seq);

    const mails = await smtp.waitFor(2);
    const toAlice = mailsTo(mails, alice);
    expect(toAlice).toHaveLength(2);
    const grouped = toAlice.find((mail) => mail.subject?.includes('Achats responsables'));
    expect(grouped?.subject).toBe('2 nouveaux messages pour vous dans « Achats responsables »');
    const links = linksOf(grouped!);
    expect(links).toContain(`https://essor.example.org/#/fils/${start.threadId}?message=${answer.seq}`);
    expect(links).toContain(`https://essor.example.org/#/fils/${start.threadId}?message=${mention.seq}`);
    expect(grouped!.text).toContain('Bruno vous a répondu');
    expect(grouped!.text).toContain('Bruno vous a mentionné');
    // the post's Markdown rendered safely: bold kept, the script only as text, the image a mere link
    expect(grouped!.html).toContain('<strong>la nôtre</strong>');
    expect(grouped!.html).not.toMatch(/<script|<img/i);
    expect(grouped!.html).toContain('&lt;script&gt;');
    expect(rawHeader(grouped!, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');

    const single = toAlice.find((mail) => mail.subject?.includes('Tiers-lieux'));
    expect(single?.subject).toBe('Carole vous a mentionné dans « Tiers-lieux »');
    expect(linksOf(single!)).toContain(`https://essor.example.org/#/fils/${other.threadId}?message=${elsewhere.seq}`);

    expect(mailsTo(smtp.mails, carole)).toHaveLength(0);
    const caroleNotification = await t.dataSource.getRepository(Notification).findOneByOrFail({ userId: carole.user.id, postId: caroleMention.id });
    expect(caroleNotification.emailedAt).toBeNull();

    // the one-click POST of RFC 8058, without signing in, turns these mails off
    const url = unsubscribeUrl(grouped!);
    expect(url.origin).toBe('https://essor.example.org');
    // opened in a browser, the link only asks (a mail scanner following it unsubscribes nobody)
    const page = await t.http().get(`${url.pathname}${url.search}`).expect(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('Me désabonner');
    expect((await t.http().get('/api/me/preferences').set('Authorization', alice.auth).expect(200)).body.emailMentions).toBe('immediate');
    await t.http().post(`${url.pathname}${url.search}`).type('form').send('List-Unsubscribe=One-Click').expect(200);
    expect((await t.http().get('/api/me/preferences').set('Authorization', alice.auth).expect(200)).body).toEqual({
      emailMentions: 'never',
      digest: 'daily',
      emailReminders: 'immediate',
    });
    await t.http().post('/api/unsubscribe?token=faux.jeton').expect(400);

    // Alice is mentioned again, as is Carole: only Carole's mail comes
    await reply(t, bruno, other.threadId, `${await handleOf(t, alice)} ${await handleOf(t, carole)} réunion jeudi ?`);
    const after = await smtp.waitFor(3);
    expect(mailsTo(after, carole)).toHaveLength(1);
    expect(mailsTo(after, alice)).toHaveLength(2);
  });

  it('mails nothing for a notification read in the app within the delay', async () => {
    const { alice, bruno } = cast;
    const thread = await newThread(t, bruno, cast.topicId, 'Monnaies locales', 'Un bilan ?');
    const before = smtp.mails.length;
    await reply(t, alice, thread.threadId, `${await handleOf(t, carole)} ${await handleOf(t, bruno)} vous avez des chiffres ?`);
    await t.http().post('/api/notifications/read').set('Authorization', carole.auth).send({ all: true }).expect(200);
    const mails = await smtp.waitFor(before + 1);
    expect(mailsTo(mails.slice(before), bruno)).toHaveLength(1);
    expect(mailsTo(mails.slice(before), carole)).toHaveLength(0);
  });
});

describe('the mail scheduler', () => {
  it('sends a mention mail when its delay ends, not at the next poll', async () => {
    // a poll far longer than the test: only the adaptive tick can send the mail in time
    const mailApp = await startMailTestApp({ MAIL_POLL_MS: '60000', MENTION_EMAIL_DELAY_S: '1' });
    try {
      const { alice, bruno, topicId } = await discussionCast(mailApp.t);
      const thread = await newThread(mailApp.t, alice, topicId, 'Tiers-lieux', 'Un inventaire ?');
      await reply(mailApp.t, bruno, thread.threadId, `${await handleOf(mailApp.t, alice)} voici le nôtre`);
      // bounded well below the poll
      const [mail] = await mailApp.smtp.waitFor(1, 30_000);
      expect(mailsTo([mail], alice)).toHaveLength(1);
    } finally {
      await mailApp.close();
    }
  });
});
