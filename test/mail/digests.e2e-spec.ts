import type { ParsedMail } from 'mailparser';
import { OutboxMail } from '../../src/mail/outbox-mail.entity';
import { MailPreferences } from '../../src/preferences/mail-preferences.entity';
import { discussionCast, type DiscussionCast, type TestApp, type TestUser } from '../support/test-app';
import { until } from '../support/until';
import { handleOf, mailsTo, newThread, readUpTo, reply, unsubscribeUrl, watch } from './follow-helpers';
import { linksOf, type MailTestApp, rawHeader, type SmtpCapture, startMailTestApp } from './smtp-capture';

describe('digests', () => {
  let mailApp: MailTestApp;
  let smtp: SmtpCapture;
  let t: TestApp;
  let cast: DiscussionCast;
  let admin: TestUser;
  let carole: TestUser;
  let dominique: TestUser;

  const runDigests = async (force = true) =>
    (
      await t
        .http()
        .post('/api/admin/digests/run')
        .set('Authorization', admin.auth)
        .send(force ? { force } : {})
        .expect(200)
    ).body as {
      digests: number;
      sent: number;
      failed: number;
    };
  const digestOf = (mails: ParsedMail[], person: TestUser) =>
    mailsTo(mails, person).filter((mail) => mail.subject?.startsWith('Essor, votre résumé'));

  beforeAll(async () => {
    ({ smtp, t } = mailApp = await startMailTestApp({ MENTION_EMAIL_DELAY_S: '1' }));
    cast = await discussionCast(t);
    admin = await t.createUser({ role: 'admin', displayName: 'Admin' });
    carole = await t.createUser({ metropolis: 'metropole-europeenne-de-lille', displayName: 'Carole' });
    dominique = await t.createUser({ displayName: 'Dominique' });
  });

  afterAll(() => mailApp.close());

  it('tells what was not read and not e-mailed yet: watched threads, new practice sheets, next sessions; nothing muted, nothing twice', async () => {
    const { alice, bruno, moderator } = cast;
    // Alice's own thread: she read Bruno's first answer, not his second
    const own = await newThread(t, alice, cast.topicId, 'Clauses sociales', 'Vos modèles ?');
    const first = await reply(t, bruno, own.threadId, 'Premier retour, déjà lu');
    const second = await reply(t, bruno, own.threadId, 'Second retour, **pas encore lu**');
    await readUpTo(t, alice, own.threadId, first.seq);
    // a post hidden by a moderator is not told
    const hidden = await reply(t, bruno, own.threadId, 'Message masqué par la modération');
    await t.http().post(`/api/posts/${hidden.id}/hide`).set('Authorization', moderator.auth).expect(200);
    // a thread Alice chose to watch
    const watched = await newThread(t, bruno, cast.topicId, 'Marchés réservés', 'Qui en a passé ?');
    await watch(t, alice, watched.threadId, 'watching');
    const watchedPost = await reply(t, carole, watched.threadId, 'Lille, deux en 2025');
    // a thread she muted: nothing from it, not even a mention
    const muted = await newThread(t, carole, cast.topicId, 'Logistique urbaine', 'Des pistes ?');
    await reply(t, alice, muted.threadId, 'Je suis le sujet de loin');
    await watch(t, alice, muted.threadId, 'muted');
    await reply(t, bruno, muted.threadId, `${await handleOf(t, alice)} secret du fil muet`);
    // a thread she does not follow: not in her digest
    const unrelated = await newThread(t, carole, cast.topicId, 'Fil sans rapport', 'Rien pour Alice');
    // a mention already e-mailed on its own is not told again
    const mentioned = await reply(t, carole, unrelated.threadId, `${await handleOf(t, alice)} déjà envoyé par e-mail`);
    // (a mention in a muted thread still notifies, by e-mail too: "muted" silences all but mentions)
    await smtp.waitFor(2);
    expect(
      mailsTo(smtp.mails, alice)
        .map((mail) => mail.subject)
        .sort(),
    ).toEqual(['Bruno vous a mentionné dans « Logistique urbaine »', 'Carole vous a mentionné dans « Fil sans rapport »']);
    // a new practice sheet and a session ahead
    await t
      .http()
      .post('/api/practices')
      .set('Authorization', bruno.auth)
      .send({ title: 'Lyon, la Cité de l’ESS', summary: 'Un lieu totem', description: 'Ouvert en 2024', stage: 'running' })
      .expect(201);
    const session = await t
      .http()
      .post('/api/sessions')
      .set('Authorization', moderator.auth)
      .send({ title: 'Séance de printemps', description: '', startsAt: new Date(Date.now() + 5 * 86_400_000).toISOString(), agenda: [] })
      .expect(201);
    await t.dataSource.getRepository(MailPreferences).upsert({ userId: dominique.user.id, digest: 'never' }, ['userId']);
    // a disabled account gets nothing, whatever it watches
    const frank = await t.createUser({ displayName: 'Frank' });
    await watch(t, frank, watched.threadId, 'watching');
    await t.http().patch(`/api/users/${frank.user.id}`).set('Authorization', admin.auth).send({ disabled: true }).expect(200);

    const before = smtp.mails.length;
    const run = await runDigests();
    // it answers once they are sent
    const mails = smtp.mails.slice(before);
    expect(run.sent).toBe(run.digests);
    expect(mails).toHaveLength(run.digests);

    const [digest, ...more] = digestOf(mails, alice);
    expect(more).toHaveLength(0);
    expect(digest.subject).toBe('Essor, votre résumé quotidien : 3 messages non lus, 1 nouvelle fiche, 1 séance à venir');
    expect(digest.text).toContain('Second retour');
    expect(digest.html).toContain('<strong>pas encore lu</strong>');
    // the watched thread's opening post and its answer, both unread
    expect(digest.text).toContain('Qui en a passé ?');
    expect(digest.text).toContain('Lille, deux en 2025');
    expect(digest.text).toContain('Lyon, la Cité de l’ESS');
    expect(digest.text).toContain('Séance de printemps');
    for (const absent of [
      'Premier retour',
      'Message masqué',
      'secret du fil muet',
      'Rien pour Alice',
      'déjà envoyé par e-mail',
      'Je suis le sujet',
    ]) {
      expect(digest.text).not.toContain(absent);
    }
    const links = linksOf(digest);
    expect(links).toContain(`https://essor.example.org/#/fils/${own.threadId}?message=${second.seq}`);
    expect(links).toContain(`https://essor.example.org/#/fils/${watched.threadId}?message=${watchedPost.seq}`);
    expect(links).toContain(`https://essor.example.org/#/seances/${session.body.id}`);
    expect(rawHeader(digest, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(mailsTo(mails, dominique)).toHaveLength(0);
    expect(mailsTo(mails, frank)).toHaveLength(0);
    expect(mentioned.seq).toBeGreaterThan(0);

    // again at once: nothing new for Alice, so no digest
    const again = await runDigests();
    expect(digestOf(smtp.mails.slice(before + mails.length), alice)).toHaveLength(0);
    expect(again.digests).toBe(0);

    // one new post: a digest with that post alone
    await reply(t, bruno, own.threadId, 'Troisième retour, nouveau');
    const third = await runDigests();
    expect(third.digests).toBe(1);
    const [next] = digestOf(smtp.mails.slice(-third.digests), alice);
    expect(next.subject).toBe('Essor, votre résumé quotidien : 1 message non lu');
    expect(next.text).toContain('Troisième retour');
    expect(next.text).not.toContain('Second retour');
    expect(next.text).not.toContain('Séance de printemps');

    // the one-click unsubscribe turns digests off, and only them
    const url = unsubscribeUrl(next);
    await t.http().post(`${url.pathname}${url.search}`).type('form').send('List-Unsubscribe=One-Click').expect(200);
    expect((await t.http().get('/api/me/preferences').set('Authorization', alice.auth).expect(200)).body).toMatchObject({
      digest: 'never',
      emailMentions: 'immediate',
    });
    await reply(t, bruno, own.threadId, 'Quatrième retour');
    expect((await runDigests()).digests).toBe(0);
  });

  it('sends, without force, only the digests whose hour has come since the last one', async () => {
    const erin = await t.createUser({ displayName: 'Erin' });
    const thread = await newThread(t, erin, cast.topicId, 'Emplois francs', 'Un retour ?');
    await reply(t, cast.bruno, thread.threadId, 'Nous, oui');
    // Erin registered after today's digest hour: not due yet
    const first = await runDigests(false);
    expect(await t.dataSource.getRepository(OutboxMail).countBy({ userId: erin.user.id, kind: 'digest' })).toBe(0);
    // her last digest two days ago: due now
    await t.dataSource
      .getRepository(MailPreferences)
      .upsert({ userId: erin.user.id, lastDigestAt: new Date(Date.now() - 2 * 86_400_000) }, ['userId']);
    // the scheduler (its turns come every second here, for the mention delay) may plan it before or while this call
    // does: the call then skips her locked row and may answer before the scheduler commits. Either way, one digest.
    await runDigests(false);
    const erinDigests = () => t.dataSource.getRepository(OutboxMail).countBy({ userId: erin.user.id, kind: 'digest' });
    await until('Erin has her digest', async () => (await erinDigests()) > 0);
    expect(await erinDigests()).toBe(1);
    expect(first.digests).toBe(0);
    // and not twice the same day
    await reply(t, cast.bruno, thread.threadId, 'Et encore');
    await runDigests(false);
    expect(await erinDigests()).toBe(1);
  });

  it('is for admins only, and refuses a bad body', async () => {
    await t.http().post('/api/admin/digests/run').set('Authorization', cast.moderator.auth).send({}).expect(403);
    await t.http().post('/api/admin/digests/run').send({}).expect(401);
    await t.http().post('/api/admin/digests/run').set('Authorization', admin.auth).send({ force: 'oui' }).expect(400);
    await t.http().post('/api/admin/digests/run').set('Authorization', admin.auth).send({ extra: true }).expect(400);
  });
});
