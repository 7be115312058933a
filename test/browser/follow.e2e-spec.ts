/**
 * Issue 11's screens in a real Chromium: « Nouveautés » after time away, the « Nouveaux messages » divider and posts
 * marked read as they scroll into view, the bell following a mention live, a notification opening its post,
 * @completion from the keyboard, the settings page, a forgotten password through the e-mail's link, lists that
 * count unread posts live, and axe-core on every new screen at 1280 and 375 px. Needs `npm run build:client` first.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { Page } from 'playwright-core';
import { createTestApp, TEST_PASSWORD, type TestApp, type TestUser } from '../support/test-app';
import { until } from '../support/until';
import { ARTIFACTS, axeViolations, BrowserPages } from './browser-support';

jest.setTimeout(120_000);

interface ThreadView {
  id: string;
  title: string;
  lastSeq: number;
  lastReadSeq: number;
  unreadCount: number;
}

describe('follow-up screens (Chromium)', () => {
  let t: TestApp;
  let browser: BrowserPages;
  let alice: TestUser;
  let bob: TestUser;
  let moderator: TestUser;
  let topic: { id: string; title: string };
  let aliceHandle: string;
  let bobHandle: string;
  const dataDir = mkdtempSync(join(tmpdir(), 'essor-follow-client-'));

  const as = (user: TestUser) => ({
    get: (path: string) => t.http().get(path).set('Authorization', user.auth),
    post: (path: string, body?: object) => t.http().post(path).set('Authorization', user.auth).send(body),
  });
  const threadAs = async (user: TestUser, id: string): Promise<ThreadView> =>
    (await as(user).get(`/api/threads/${id}?limit=1`).expect(200)).body.thread;
  const openThread = async (user: TestUser, title: string, body: string): Promise<ThreadView> =>
    (await as(user).post(`/api/topics/${topic.id}/threads`, { title, body }).expect(201)).body.thread;
  const reply = async (user: TestUser, threadId: string, body: string): Promise<{ id: string; seq: number }> =>
    (await as(user).post(`/api/threads/${threadId}/posts`, { body }).expect(201)).body;
  const unreadNotifications = async (user: TestUser): Promise<number> => (await as(user).get('/api/notifications/count').expect(200)).body.unread;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // no SMTP_URL: e-mails are written as .eml files under DATA_DIR/outbox, where the reset test reads its link
    t = await createTestApp({ env: { DATA_DIR: dataDir } });
    alice = await t.createUser({ displayName: 'Alice Nantes', metropolis: 'nantes-metropole' });
    bob = await t.createUser({ displayName: 'Bob Lyon', metropolis: 'metropole-de-lyon' });
    moderator = await t.createUser({ role: 'moderator', displayName: 'Modératrice Suivi' });
    aliceHandle = (await as(alice).get('/api/auth/me').expect(200)).body.handle;
    bobHandle = (await as(bob).get('/api/auth/me').expect(200)).body.handle;
    topic = (await as(alice).get('/api/topics').expect(200)).body[0];
    browser = await BrowserPages.launch();
  });

  // an uncaught error in the page fails the test that caused it
  afterEach(() => expect(browser.errors.splice(0)).toEqual([]));

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const newPage = (width?: number, height?: number): Promise<Page> => browser.open(width, height);

  /** Signs in through the form; the landing page is « Nouveautés », and the socket is up once the header says so. */
  async function signIn(page: Page, user: TestUser, password = TEST_PASSWORD): Promise<void> {
    await page.goto(t.url);
    await page.getByLabel('Adresse e-mail', { exact: true }).fill(user.user.email);
    await page.getByLabel('Mot de passe', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.locator('h1', { hasText: 'Nouveautés' }).waitFor();
    await page.locator('#connection-state[data-state="connected"]').waitFor();
  }

  it('after time away, « Nouveautés » lists what is new; a thread opens at « Nouveaux messages » and is read as it scrolls', async () => {
    // a week ago Alice read the start of Bob's thread; while she was away Bob wrote 25 more posts, a session was
    // scheduled and a practice sheet published
    const longThread = await openThread(bob, 'Retours d’expérience des métropoles', 'Message 1 : qui commence ?');
    const long = (i: number): string => `Message ${i} : ${'un retour détaillé sur l’accompagnement des projets, '.repeat(4)}`;
    for (let i = 2; i <= 5; i++) await reply(bob, longThread.id, long(i));
    await t.http().put(`/api/threads/${longThread.id}/read`).set('Authorization', alice.auth).send({ seq: 5 }).expect(200);
    for (let i = 6; i <= 30; i++) await reply(bob, longThread.id, long(i));
    const startsAt = new Date(Date.now() + 3 * 24 * 3600_000).toISOString();
    const session = (
      await as(moderator)
        .post('/api/sessions', {
          title: 'Troisième groupe de travail',
          description: 'Bilan',
          startsAt,
          location: 'Lyon',
          agenda: [{ title: 'Tour de table' }],
        })
        .expect(201)
    ).body as { id: string; title: string };
    const practice = (
      await as(bob)
        .post('/api/practices', {
          title: 'Lyon, fabrique à projets',
          summary: 'Un parcours',
          description: 'Du repérage au financement.',
          stage: 'pilot',
        })
        .expect(201)
    ).body as { id: string; title: string };

    const page = await newPage();
    await signIn(page, alice);
    const unreadRow = page.locator('#unread-threads li', { hasText: longThread.title });
    await unreadRow.waitFor();
    expect(await unreadRow.locator('.badge.unread').textContent()).toBe('25 non lus');
    await page.locator('#new-practices a', { hasText: practice.title }).waitFor();
    // her first look at the page: no « last visit » to count from yet
    expect(await page.locator('main p.lead').first().textContent()).toBe('Bienvenue sur Essor : voici ce qui se prépare dans le groupe de travail.');
    await page.screenshot({ path: join(ARTIFACTS, 'follow-home-1280.png'), fullPage: true });

    // « S'inscrire » registers her; « Ajouter à mon agenda » hands over the session's .ics
    await page.getByRole('button', { name: `S’inscrire à « ${session.title} »` }).click();
    await page.getByRole('button', { name: `Se désinscrire de « ${session.title} »` }).waitFor();
    expect((await as(alice).get(`/api/sessions/${session.id}`).expect(200)).body.joined).toBe(true);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: `Ajouter à mon agenda « ${session.title} » (fichier .ics)` }).click(),
    ]);
    const ics = readFileSync(await download.path(), 'utf8');
    expect(ics).toContain('BEGIN:VCALENDAR');
    expect(ics).toContain(session.title);

    // the theme and its list of threads count the unread posts
    await page.getByRole('link', { name: 'Thèmes', exact: true }).click();
    const card = page.locator('#topics li', { hasText: topic.title });
    expect(await card.locator('.badge.unread').textContent()).toBe('25 messages non lus');
    await card.getByRole('link', { name: topic.title }).click();
    expect(await page.locator('#threads li', { hasText: longThread.title }).locator('.badge.unread').textContent()).toBe('25 non lus');

    // the thread opens at the divider, above the first post she has not read
    await page.getByRole('link', { name: longThread.title }).click();
    await page.locator('#message-6 > #new-messages:focus').waitFor();
    await page.locator('#announcer', { hasText: '25 nouveaux messages depuis votre dernière lecture.' }).waitFor();
    // the posts on screen are read after a moment; the rest of the thread is not
    await until('the first posts marked read', async () => (await threadAs(alice, longThread.id)).lastReadSeq > 5, 10_000);
    const firstMark = await threadAs(alice, longThread.id);
    expect(firstMark.lastReadSeq).toBeLessThan(30);
    expect(firstMark.unreadCount).toBe(30 - firstMark.lastReadSeq);
    await page.screenshot({ path: join(ARTIFACTS, 'follow-divider-1280.png') });
    // scrolling down to the end, as a reader does, reads the whole thread
    await until('the end of the thread on screen', async () => {
      await page.mouse.wheel(0, 300);
      // one frame, so that the observer sees what passed on screen
      await page.evaluate('new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))');
      return page.evaluate<boolean>('innerHeight + scrollY >= document.body.scrollHeight - 2');
    });
    await until('the whole thread read', async () => (await threadAs(alice, longThread.id)).unreadCount === 0, 10_000);
    expect((await threadAs(alice, longThread.id)).lastReadSeq).toBe(30);
    // opened again, there is nothing new: no divider, and the focus is on the title
    await page.reload();
    await page.locator('h1:focus', { hasText: longThread.title }).waitFor();
    expect(await page.locator('#new-messages').count()).toBe(0);
  });

  it('the bell counts a mention live, and the notification opens the post that mentions her', async () => {
    const page = await newPage();
    await signIn(page, alice);
    const before = await unreadNotifications(alice);
    const bell = page.locator('#notification-bell');
    expect(await bell.getAttribute('data-unread')).toBe(String(before));

    const question = await openThread(bob, 'Question pour Alice', 'Une question de méthode.');
    const mention = await reply(bob, question.id, `Bonjour @${aliceHandle}, pouvez-vous partager vos indicateurs ?`);
    await page.locator(`#notification-bell[data-unread="${before + 1}"]`).waitFor();
    expect(await bell.getAttribute('aria-label')).toBe(`Notifications, ${before + 1} non lue${before + 1 > 1 ? 's' : ''}`);
    await page.locator('#announcer', { hasText: 'Nouvelle notification : Bob Lyon vous a mentionné dans « Question pour Alice »' }).waitFor();
    // the home screen's own list takes it too
    await page.locator('#home-notifications ~ ol li', { hasText: 'vous a mentionné' }).waitFor();

    await bell.click();
    await page.locator('h1', { hasText: 'Notifications' }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'follow-notifications-1280.png') });
    await page.getByRole('link', { name: 'Bob Lyon vous a mentionné dans « Question pour Alice »' }).click();
    await page.waitForURL(`**/#/fils/${question.id}?message=${mention.seq}`);
    // the post itself has the focus, and the mention is a link to her card
    await page.locator(`#message-${mention.seq} > article:focus`).waitFor();
    const link = page.locator(`#message-${mention.seq} a.mention`);
    expect(new URL((await link.getAttribute('href')) ?? '').hash).toBe(`#/people/${aliceHandle}`);
    expect(await link.textContent()).toBe(`@${aliceHandle}`);
    await page.locator(`#notification-bell[data-unread="${before}"]`).waitFor();
    expect(await unreadNotifications(alice)).toBe(before);

    // « Tout marquer comme lu » on the notifications screen
    await reply(bob, question.id, `Et aussi @${aliceHandle} : merci !`);
    await page.locator(`#notification-bell[data-unread="${before + 1}"]`).waitFor();
    await bell.click();
    await page.getByRole('button', { name: 'Tout marquer comme lu' }).click();
    await page.locator('#notification-bell[data-unread="0"]').waitFor();
    await page.getByText('Toutes les notifications sont marquées comme lues.').waitFor();
    expect(await unreadNotifications(alice)).toBe(0);
    expect(await page.locator('#notifications .unread').count()).toBe(0);
  });

  it('pages the notifications screen: the 50 newest, then « Afficher les plus anciennes »', async () => {
    const dave = await t.createUser({ displayName: 'David Lille', metropolis: 'metropole-europeenne-de-lille' });
    const daveHandle = (await as(dave).get('/api/auth/me').expect(200)).body.handle;
    const busy = await openThread(bob, 'Beaucoup de mentions', 'Un fil très cité.');
    for (let i = 1; i <= 55; i++) await reply(bob, busy.id, `Mention ${i} de @${daveHandle}`);
    const page = await newPage();
    await signIn(page, dave);
    await page.locator('#notification-bell[data-unread="55"]').waitFor();
    await page.goto(`${t.url}/#/notifications`);
    await page.locator('#notifications li').first().waitFor();
    expect(await page.locator('#notifications li').count()).toBe(50);
    expect(await page.locator('#notifications li').first().textContent()).toContain('Mention 55 de');
    await page.getByRole('button', { name: 'Afficher les plus anciennes' }).click();
    await page.locator('#notifications li', { hasText: 'Mention 1 de' }).waitFor();
    expect(await page.locator('#notifications li').count()).toBe(55);
    expect(await page.getByRole('button', { name: 'Afficher les plus anciennes' }).isHidden()).toBe(true);
  });

  it('completes @mentions from the keyboard in the composer, and the mention notifies the person', async () => {
    const discussion = await openThread(bob, 'Une discussion à trois', 'Qui a un retour ?');
    const page = await newPage();
    await signIn(page, alice);
    await page.goto(`${t.url}/#/fils/${discussion.id}`);
    const field = page.locator('#reply-root');
    await field.click();
    await field.pressSequentially('Merci @bob');
    const option = page.getByRole('option', { name: new RegExp(`Bob Lyon @${bobHandle.replace(/\./g, '\\.')}`) });
    await option.waitFor();
    expect(await field.getAttribute('aria-activedescendant')).toBe(await option.getAttribute('id'));
    expect(await option.getAttribute('aria-selected')).toBe('true');
    await page.locator('#announcer', { hasText: 'proposée' }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'follow-mention-1280.png') });
    await field.press('Enter');
    expect(await field.inputValue()).toBe(`Merci @${bobHandle} `);
    expect(await page.getByRole('listbox').isHidden()).toBe(true);
    // Échap closes the list and leaves the text as typed
    await field.pressSequentially('et @bo');
    await page.getByRole('listbox').getByRole('option').first().waitFor();
    await field.press('Escape');
    expect(await page.getByRole('listbox').isHidden()).toBe(true);
    expect(await field.inputValue()).toBe(`Merci @${bobHandle} et @bo`);

    const before = await unreadNotifications(bob);
    await field.press('Control+Enter');
    await page.locator('#posts .post-body', { hasText: 'et @bo' }).waitFor();
    await until('Bob notified of the mention', async () => (await unreadNotifications(bob)) > before, 10_000);
    const list = (await as(bob).get('/api/notifications?unread=true').expect(200)).body as { kind: string; actor: { id: string } | null }[];
    expect(list.some((n) => n.kind === 'mention' && n.actor?.id === alice.user.id)).toBe(true);
  });

  it('chooses in the thread how closely to follow it; a watched thread’s notification counts the posts since', async () => {
    const page = await newPage();
    await signIn(page, alice);
    const thread = await openThread(bob, 'Suivi choisi', 'Un fil à suivre de près.');
    const watchLevel = async () => (await as(alice).get(`/api/threads/${thread.id}?limit=1`).expect(200)).body.thread.watchLevel as string;
    await page.goto(`${t.url}/#/fils/${thread.id}`);
    const select = page.getByLabel('Suivi de ce fil');
    expect(await select.inputValue()).toBe('normal');

    await select.selectOption('watching');
    await page.locator('#watch-level-status', { hasText: 'Suivi enregistré.' }).waitFor();
    expect(await watchLevel()).toBe('watching');
    await page.screenshot({ path: join(ARTIFACTS, 'follow-watch-level-1280.png') });
    await page.setViewportSize({ width: 375, height: 800 });
    await page.screenshot({ path: join(ARTIFACTS, 'follow-watch-level-375.png') });

    // a save that fails says so and shows the level still in force
    await page.route('**/api/threads/*/watch', (route) =>
      route.fulfill({ status: 503, contentType: 'application/json', body: '{"message":"indisponible"}' }),
    );
    await select.selectOption('muted');
    await page.locator('#watch-level-status.error').waitFor();
    expect(await select.inputValue()).toBe('watching');
    expect(await watchLevel()).toBe('watching');
    await page.unroute('**/api/threads/*/watch');

    // away from the thread, two posts make one notification that counts them
    await page.goto(`${t.url}/#/notifications`);
    await reply(bob, thread.id, 'Deuxième message');
    await reply(bob, thread.id, 'Troisième message');
    await page.goto(`${t.url}/#/themes`);
    await page.goto(`${t.url}/#/notifications`);
    await page.getByRole('link', { name: '2 nouveaux messages dans « Suivi choisi », depuis celui de Bob Lyon' }).click();
    await page.waitForURL(`**/#/fils/${thread.id}?message=2`);
    expect(await page.getByLabel('Suivi de ce fil').inputValue()).toBe('watching');
    await page.close();
  });

  it('keeps the unread counts of the theme list and of a theme’s threads live, and marks a theme read', async () => {
    const followed = await openThread(bob, 'Suivi en direct', 'Le début, qu’Alice a lu.');
    await t.http().put(`/api/threads/${followed.id}/read`).set('Authorization', alice.auth).send({ seq: 1 }).expect(200);
    const page = await newPage();
    await signIn(page, alice);
    await page.goto(`${t.url}/#/themes/${topic.id}`);
    const row = page.locator('#threads li', { hasText: followed.title });
    await row.waitFor();
    expect(await row.locator('.badge.unread').count()).toBe(0);
    await reply(bob, followed.id, 'Un nouveau retour de Lyon.');
    await row.locator('.badge.unread', { hasText: '1 non lu' }).waitFor();
    const fresh = await openThread(bob, 'Un fil tout neuf', 'Le premier message.');
    await page.locator('#threads li', { hasText: fresh.title }).locator('.badge.unread', { hasText: '1 non lu' }).waitFor();
    // the new thread and the thread just active come first
    expect(await page.locator('#threads li a').first().textContent()).toBe(fresh.title);

    await page.getByRole('button', { name: 'Tout marquer comme lu' }).click();
    await page.locator('p[role="status"]', { hasText: 'marqués comme lus' }).waitFor();
    expect(await page.locator('#threads .badge.unread').count()).toBe(0);
    const topics = (await as(alice).get('/api/topics').expect(200)).body as { id: string; unreadCount: number }[];
    expect(topics.find((x) => x.id === topic.id)?.unreadCount).toBe(0);

    await page.getByRole('link', { name: 'Thèmes', exact: true }).click();
    const card = page.locator('#topics li', { hasText: topic.title });
    await card.waitFor();
    expect(await card.locator('.badge.unread').count()).toBe(0);
    await reply(bob, fresh.id, 'Une suite.');
    await card.locator('.badge.unread', { hasText: '1 message non lu' }).waitFor();
  });

  it('saves the handle, the display name and the e-mail preferences in « Paramètres », and copies and resets the calendar link', async () => {
    const page = await newPage();
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await signIn(page, alice);
    await page.getByRole('link', { name: 'Paramètres' }).click();
    await page.locator('h1', { hasText: 'Paramètres' }).waitFor();
    const handle = page.getByLabel('Identifiant (pour les mentions @)');
    expect(await handle.inputValue()).toBe(aliceHandle);

    // a handle someone has is refused, in French; a free one is saved, and so is the name, which the header shows
    await handle.fill(bobHandle);
    await page.getByRole('button', { name: 'Enregistrer le profil' }).click();
    await page.locator('#settings-profile-status', { hasText: 'déjà pris' }).waitFor();
    await handle.fill('alice.nantes-metropole');
    await page.getByLabel('Nom affiché').fill('Alice de Nantes');
    await page.getByRole('button', { name: 'Enregistrer le profil' }).click();
    await page.locator('#settings-profile-status', { hasText: 'Profil enregistré.' }).waitFor();
    const me = (await as(alice).get('/api/auth/me').expect(200)).body as { handle: string; displayName: string };
    expect(me).toMatchObject({ handle: 'alice.nantes-metropole', displayName: 'Alice de Nantes' });
    aliceHandle = me.handle;
    expect(await page.locator('.site-header .who').textContent()).toBe('Alice de Nantes');

    await page.getByLabel('Ne pas m’écrire').check();
    await page.getByLabel('Chaque semaine').check();
    await page.getByLabel('Pas de rappel par e-mail').check();
    await page.getByRole('button', { name: 'Enregistrer les préférences' }).click();
    await page.locator('#settings-mail-status', { hasText: 'Préférences enregistrées.' }).waitFor();
    expect((await as(alice).get('/api/me/preferences').expect(200)).body).toEqual({
      emailMentions: 'never',
      digest: 'weekly',
      emailReminders: 'never',
    });
    await page.reload();
    expect(await page.getByLabel('Chaque semaine').isChecked()).toBe(true);
    expect(await page.getByLabel('Ne pas m’écrire').isChecked()).toBe(true);

    // the feed's link works without signing in; copied as it is; reset, the old one stops working
    const url = page.getByLabel('Lien de votre agenda');
    const first = await url.inputValue();
    const feedPath = (link: string): string => new URL(link).pathname;
    const feed = await t.http().get(feedPath(first)).expect(200);
    expect(feed.text).toContain('BEGIN:VCALENDAR');
    await page.getByRole('button', { name: 'Copier le lien' }).click();
    await page.locator('#settings-calendar-status', { hasText: 'Lien copié' }).waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(first);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Réinitialiser le lien' }).click();
    await page.locator('#settings-calendar-status', { hasText: 'Nouveau lien créé' }).waitFor();
    const second = await url.inputValue();
    expect(second).not.toBe(first);
    await t.http().get(feedPath(second)).expect(200);
    expect((await t.http().get(feedPath(first))).status).toBe(404);
  });

  it('sends a reset link for a forgotten password, whose screen sets the new password and signs the person in', async () => {
    const carol = await t.createUser({ displayName: 'Carole Lille', metropolis: 'metropole-europeenne-de-lille' });
    const page = await newPage();
    await page.goto(t.url);
    await page.getByText('Mot de passe oublié ?').click();
    await page.getByLabel('Adresse e-mail du compte').fill(carol.user.email);
    await page.getByRole('button', { name: 'Recevoir le lien' }).click();
    await page.locator('#forgot-status', { hasText: `Si un compte existe pour ${carol.user.email}` }).waitFor();

    // the link, from the message written to the outbox
    const outbox = join(dataDir, 'outbox');
    let link = '';
    const resetLink = async (): Promise<boolean> => {
      for (const file of readdirSync(outbox, { withFileTypes: true }).filter((f) => f.name.endsWith('.eml'))) {
        const mail = await simpleParser(readFileSync(join(outbox, file.name)));
        const to = Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : [];
        if (!to.some((a) => a.text.includes(carol.user.email))) continue;
        link = /\/#\/reset\?token=[^\s"<>]+/.exec(mail.text ?? '')?.[0] ?? '';
        if (link) return true;
      }
      return false;
    };
    await until(`the reset e-mail in the outbox (${outbox})`, resetLink, 10_000);

    // a token that is not valid says so
    await page.goto(`${t.url}/#/reset?token=faux-jeton`);
    await page.getByLabel('Nouveau mot de passe', { exact: true }).fill('un-nouveau-secret');
    await page.getByLabel('Confirmez le mot de passe').fill('un-nouveau-secret');
    await page.getByRole('button', { name: 'Enregistrer et me connecter' }).click();
    await page.locator('[role="alert"]', { hasText: 'plus valable' }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'follow-reset-1280.png') });

    await page.goto(`${t.url}${link}`);
    await page.locator('#reset-password:focus').waitFor();
    await page.getByLabel('Nouveau mot de passe', { exact: true }).fill('un-nouveau-secret');
    await page.getByLabel('Confirmez le mot de passe').fill('autre-chose');
    await page.getByRole('button', { name: 'Enregistrer et me connecter' }).click();
    await page.locator('[role="alert"]', { hasText: 'Les deux saisies diffèrent.' }).waitFor();
    await page.getByLabel('Confirmez le mot de passe').fill('un-nouveau-secret');
    await page.getByRole('button', { name: 'Enregistrer et me connecter' }).click();
    await page.locator('h1', { hasText: 'Nouveautés' }).waitFor();
    await t.http().post('/api/auth/login').send({ email: carol.user.email, password: 'un-nouveau-secret' }).expect(200);
    await t.http().post('/api/auth/login').send({ email: carol.user.email, password: TEST_PASSWORD }).expect(401);
  });

  // every screen at two widths: minutes on a loaded machine with the packaged Chromium
  it('has no accessibility violation (axe-core) on any new screen, at 1280 and 375 px', async () => {
    const problems: string[] = [];
    const question = await openThread(bob, 'Un fil pour l’audit', `Une question pour @${aliceHandle}.`);
    await t.http().put(`/api/threads/${question.id}/read`).set('Authorization', alice.auth).send({ seq: 1 }).expect(200);
    for (const [width, height] of [
      [1280, 900],
      [375, 812],
    ]) {
      // something new for Alice at each width: the lists count it, the thread shows its divider
      await reply(bob, question.id, `Une précision pour l’écran de ${width} px.`);
      const page = await newPage(width, height);
      const audit = async (name: string): Promise<void> => {
        await page.locator('main h1').first().waitFor();
        problems.push(...(await axeViolations(page)).map((v) => `${name} ${width}: ${v}`));
        await page.screenshot({ path: join(ARTIFACTS, `follow-${name}-${width}.png`), fullPage: true });
      };
      await page.goto(t.url);
      await page.getByText('Mot de passe oublié ?').click();
      await audit('connexion');
      await page.goto(`${t.url}/#/reset?token=jeton`);
      await audit('reinitialisation');
      await signIn(page, alice);
      await page.locator('#unread-threads li').first().waitFor();
      await audit('nouveautes');
      await page.goto(`${t.url}/#/notifications`);
      await page.locator('#notifications, #notifications-area p').first().waitFor();
      await audit('notifications');
      await page.goto(`${t.url}/#/parametres`);
      await page.locator('#settings-calendar-url').waitFor();
      await audit('parametres');
      await page.goto(`${t.url}/#/themes`);
      await page.locator('#topics .badge.unread').first().waitFor();
      await audit('themes');
      await page.goto(`${t.url}/#/themes/${topic.id}`);
      await page.locator('#threads .badge.unread').first().waitFor();
      await audit('fils');
      await page.goto(`${t.url}/#/fils/${question.id}`);
      await page.locator('#new-messages').waitFor();
      await page.locator('#reply-root').pressSequentially('@bo');
      await page.getByRole('listbox').getByRole('option').first().waitFor();
      await audit('fil-nouveaux-messages');
      await page.goto(`${t.url}/#/people/${bobHandle}`);
      await page.locator('h1', { hasText: 'Bob Lyon' }).waitFor();
      await audit('personne');
    }
    expect(problems).toEqual([]);
  }, 300_000);
});
