import ICAL from 'ical.js';
import { SessionReminders } from '../../src/mail/session-reminders.service';
import { Notification } from '../../src/notifications/notification.entity';
import { MailPreferences } from '../../src/preferences/mail-preferences.entity';
import { discussionCast, type DiscussionCast, type TestApp } from '../support/test-app';
import { mailsTo } from './follow-helpers';
import { linksOf, type MailTestApp, rawHeader, type SmtpCapture, startMailTestApp } from './smtp-capture';

describe('session reminders', () => {
  let mailApp: MailTestApp;
  let smtp: SmtpCapture;
  let t: TestApp;
  let cast: DiscussionCast;

  beforeAll(async () => {
    ({ smtp, t } = mailApp = await startMailTestApp());
    cast = await discussionCast(t);
  });

  afterAll(() => mailApp.close());

  it('reminds those registered, once, the day before: a notification, and an e-mail with the .ics attached', async () => {
    const { alice, bruno, moderator } = cast;
    await t.dataSource.getRepository(MailPreferences).upsert({ userId: bruno.user.id, emailReminders: 'never' }, ['userId']);
    // far ahead at first, so the reminder cannot go before both have registered
    const created = await t
      .http()
      .post('/api/sessions')
      .set('Authorization', moderator.auth)
      .send({
        title: 'Séance de Grenoble',
        description: 'Mobilités',
        startsAt: new Date(Date.now() + 10 * 86_400_000).toISOString(),
        location: 'Grenoble',
        agenda: [],
      })
      .expect(201);
    const sessionId: string = created.body.id;
    await t.http().post(`/api/sessions/${sessionId}/join`).set('Authorization', alice.auth).expect(200);
    await t.http().post(`/api/sessions/${sessionId}/join`).set('Authorization', bruno.auth).expect(200);
    const startsAt = new Date(Date.now() + 20 * 3_600_000);
    await t.http().patch(`/api/sessions/${sessionId}`).set('Authorization', moderator.auth).send({ startsAt: startsAt.toISOString() }).expect(200);

    const [mail] = await smtp.waitFor(1);
    expect(mailsTo([mail], alice)).toHaveLength(1);
    expect(mail.subject).toMatch(/^Rappel : « Séance de Grenoble », /);
    expect(mail.text).toContain('Lieu : Grenoble');
    expect(linksOf(mail)).toContain(`https://essor.example.org/#/seances/${sessionId}`);
    expect(rawHeader(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    const ics = mail.attachments.find((attachment) => attachment.filename === 'seance.ics');
    expect(ics?.contentType).toBe('text/calendar');
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(ics!.content.toString())).getFirstSubcomponent('vevent')!);
    expect(event.summary).toBe('Séance de Grenoble');
    expect(event.startDate.toJSDate().toISOString()).toBe(new Date(Math.floor(startsAt.getTime() / 1000) * 1000).toISOString());

    const notifications = await t.dataSource.getRepository(Notification).findBy({ sessionId, kind: 'session-reminder' });
    expect(notifications.map((notification) => notification.userId).sort()).toEqual([alice.user.id, bruno.user.id].sort());

    // once: planning again finds nothing, and no second mail or notification appears
    expect(await t.app.get(SessionReminders).planDue()).toEqual([]);
    expect(await t.dataSource.getRepository(Notification).countBy({ sessionId, kind: 'session-reminder' })).toBe(2);
    expect(mailsTo(smtp.mails, bruno)).toHaveLength(0);
    expect(smtp.mails).toHaveLength(1);
  });
});
