/**
 * Issue 13 items 6–11 in a real Chromium: running a session (polls first and announced, results hidden until one
 * votes, « Point précédent », « Clore la séance » on the last item, decisions), the minutes on screen and in print, a
 * search hit opening its post highlighted and « Copier le lien », the moderators' queue and the hidden-post notice,
 * the thread's Markdown export and the practice CSV for French spreadsheets; axe-core and French-only on each screen.
 * Needs the built client: `npm run build:client` first.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createTestApp, TEST_PASSWORD, type TestApp, type TestUser } from '../support/test-app';
import { ARTIFACTS, axeViolations, BrowserPages, signInThroughForm } from './browser-support';

jest.setTimeout(120_000);

/** English a French screen must never show (the same list as client.e2e-spec.ts). */
const ENGLISH_WORDS =
  /\b(must|should|error|invalid|unknown|expired|not found|forbidden|unauthorized|required|loading|submit|cancel|undefined|null|NaN|true|false|each value)\b/i;

describe('running sessions, minutes, search, moderation and exports (Chromium)', () => {
  let t: TestApp;
  let browser: BrowserPages;
  let alice: TestUser;
  let bob: TestUser;
  let moderator: TestUser;
  let topicId: string;

  beforeAll(async () => {
    browser = await BrowserPages.launch();
    mkdirSync(ARTIFACTS, { recursive: true });
    t = await createTestApp();
    alice = await t.createUser({ displayName: 'Alice Nantes', metropolis: 'nantes-metropole' });
    bob = await t.createUser({ displayName: 'Bob Lyon', metropolis: 'metropole-de-lyon' });
    moderator = await t.createUser({ role: 'moderator', displayName: 'Mona Animatrice' });
    topicId = ((await t.http().get('/api/topics').set('Authorization', alice.auth).expect(200)).body as { id: string }[])[0].id;
  });
  afterEach(() => expect(browser.errors.splice(0)).toEqual([]));
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function signedIn(user: TestUser, width = 1280, height = 900): Promise<Page> {
    const page = await browser.open(width, height);
    await signInThroughForm(page, t.url, user.user.email, TEST_PASSWORD);
    return page;
  }

  /** No axe violation and no English word on the screen as it is; a screenshot under test/artifacts. */
  async function checkScreen(page: Page, name: string): Promise<void> {
    expect({ name, violations: await axeViolations(page) }).toEqual({ name, violations: [] });
    const text = await page.locator('body').innerText();
    expect({ name, english: text.split('\n').filter((line) => ENGLISH_WORDS.test(line)) }).toEqual({ name, english: [] });
    await page.screenshot({ path: join(ARTIFACTS, `${name}-${page.viewportSize()?.width ?? 0}.png`), fullPage: true });
  }

  it('puts a new poll first and announces it, hides its results until one votes, goes back and closes on the last item, and keeps decisions', async () => {
    const session = (
      await t
        .http()
        .post('/api/sessions')
        .set('Authorization', moderator.auth)
        .send({
          title: 'Plénière d’automne',
          startsAt: new Date(Date.now() + 3_600_000).toISOString(),
          agenda: [{ title: 'Accueil' }, { title: 'Bilan' }],
        })
        .expect(201)
    ).body as { id: string };
    await t.http().post(`/api/sessions/${session.id}/join`).set('Authorization', bob.auth).expect(200);
    await t
      .http()
      .post(`/api/threads/${(await t.http().get(`/api/sessions/${session.id}`).set('Authorization', bob.auth)).body.agenda[0].threadId}/posts`)
      .set('Authorization', bob.auth)
      .send({ body: 'Bonjour, je suis là pour le bilan.' })
      .expect(201);

    const host = await signedIn(moderator);
    await host.goto(`${t.url}/#/seances/${session.id}`);
    await host.getByRole('button', { name: 'Démarrer la séance' }).click();
    await host.locator('#session-status', { hasText: 'en direct' }).waitFor();
    // the moderator runs the session: not offered to register; the vocabulary is said on screen
    expect(await host.getByRole('button', { name: 'S’inscrire' }).count()).toBe(0);
    await host.locator('#vocabulary', { hasText: '« Présents » : celles qui ont la séance ouverte en ce moment' }).waitFor();
    expect(await host.getByRole('button', { name: 'Point précédent' }).count()).toBe(0);

    const phone = await signedIn(bob, 375, 812);
    await phone.goto(`${t.url}/#/seances/${session.id}`);
    await phone.locator('#discussion .post-body', { hasText: 'Bonjour, je suis là' }).waitFor();
    await phone.getByRole('button', { name: 'Se désinscrire' }).waitFor();

    await host.getByLabel('Question').fill('On garde ce rythme ?');
    await host.getByLabel('Réponses possibles').fill('Oui\nNon');
    expect(await host.getByLabel('Résultats visibles seulement après avoir voté (ou à la clôture)').isChecked()).toBe(true);
    await host.getByRole('button', { name: 'Lancer le sondage' }).click();

    // on the phone: a visible cue and the live region, and the poll above the item's discussion
    const cue = phone.locator('#poll-cue', { hasText: 'Nouveau sondage : « On garde ce rythme ? »' });
    await cue.waitFor();
    await phone.locator('#announcer', { hasText: 'Nouveau sondage : On garde ce rythme ?' }).waitFor();
    // the moderator who launched it gets no cue
    expect(await host.locator('#poll-cue').isVisible()).toBe(false);
    const pollBox = await phone.locator('.poll', { hasText: 'On garde ce rythme ?' }).boundingBox();
    const discussionBox = await phone.locator('#discussion').boundingBox();
    expect(pollBox!.y).toBeLessThan(discussionBox!.y);
    await phone.locator('.poll .results-hidden').waitFor();
    expect(await phone.locator('.poll .poll-line').count()).toBe(0);
    await checkScreen(phone, 'seance-sondage-annonce');

    await cue.getByRole('button', { name: 'Voter' }).click();
    expect(await phone.locator('button:focus').getAttribute('aria-label')).toBe('Voter pour « Oui »');
    await phone.keyboard.press('Enter');
    await phone.locator('.poll .poll-line', { hasText: '1 (100 %)' }).waitFor();
    await phone.locator('#poll-cue').waitFor({ state: 'hidden' });
    // the host has not voted: the count, no results
    await host.locator('.poll .meta', { hasText: '1 vote · résultats affichés après votre vote ou à la clôture' }).waitFor();
    expect(await host.locator('.poll .poll-line').count()).toBe(0);

    await host.getByLabel('Ce qui a été décidé, qui s’en charge, pour quand').fill('Rythme mensuel confirmé ; Mona envoie le calendrier.');
    await host.getByRole('button', { name: 'Enregistrer les décisions' }).click();
    await host.getByText('Décisions enregistrées.').waitFor();
    await phone.locator('#decisions', { hasText: 'Rythme mensuel confirmé ; Mona envoie le calendrier.' }).waitFor();

    // the last item offers « Clore la séance » instead of « Point suivant », and « Point précédent » goes back
    await host.getByRole('button', { name: 'Point suivant' }).click();
    await phone.locator('#agenda li[aria-current="step"]', { hasText: 'Bilan' }).waitFor();
    await host.getByRole('button', { name: 'Point précédent' }).waitFor();
    expect(await host.getByRole('button', { name: 'Point suivant' }).count()).toBe(0);
    expect(await host.getByRole('button', { name: 'Clore la séance' }).count()).toBe(1);
    await checkScreen(host, 'seance-dernier-point');
    await host.getByRole('button', { name: 'Point précédent' }).click();
    await phone.locator('#agenda li[aria-current="step"]', { hasText: 'Accueil' }).waitFor();
    await host.getByRole('button', { name: 'Point suivant' }).click();
    await host.locator('#agenda li[aria-current="step"]', { hasText: 'Bilan' }).waitFor();
    await host.getByRole('button', { name: 'Clore la séance' }).click();
    await phone.locator('#session-status', { hasText: 'terminée' }).waitFor();
    // closed: everyone sees the results
    await host.locator('.poll .poll-line', { hasText: '1 (100 %)' }).waitFor();

    // the minutes on screen: who ran it, the real timings, the decisions; a clean print
    await host.getByRole('link', { name: 'Compte rendu' }).click();
    await host.locator('h1', { hasText: 'Compte rendu — Plénière d’automne' }).waitFor();
    const minutes = host.locator('#minutes');
    await minutes.getByText('Animation : Mona Animatrice').waitFor();
    expect(await minutes.locator('li', { hasText: /^Horaires réels : de \d\d h \d\d à \d\d h \d\d \(\d+ min\)$/ }).count()).toBe(2);
    await minutes.locator('h3', { hasText: 'Décisions et suites' }).waitFor();
    await minutes.getByText('Rythme mensuel confirmé ; Mona envoie le calendrier.').waitFor();
    expect(await host.locator('h1').count()).toBe(1);
    await host.getByRole('button', { name: 'Imprimer / PDF' }).waitFor();
    await checkScreen(host, 'compte-rendu');
    await host.emulateMedia({ media: 'print' });
    expect(await host.locator('#site-header').isVisible()).toBe(false);
    expect(await host.getByRole('button', { name: 'Imprimer / PDF' }).isVisible()).toBe(false);
    expect(await minutes.isVisible()).toBe(true);
    await host.screenshot({ path: join(ARTIFACTS, 'compte-rendu-impression.png'), fullPage: true });
    await host.emulateMedia({ media: 'screen' });
    const [download] = await Promise.all([host.waitForEvent('download'), host.getByRole('button', { name: 'Télécharger (Markdown)' }).click()]);
    expect(readFileSync(await download.path(), 'utf8')).toContain('### Décisions et suites');

    await phone.goto(`${t.url}/#/seances/${session.id}/compte-rendu`);
    await phone.locator('#minutes').getByText('Animation : Mona Animatrice').waitFor();
    await checkScreen(phone, 'compte-rendu');
  });

  it('opens a search hit at its post, highlighted; every post has « Copier le lien »; the thread exports as Markdown', async () => {
    const { thread } = (
      await t
        .http()
        .post(`/api/topics/${topicId}/threads`)
        .set('Authorization', alice.auth)
        .send({ title: 'Tiers-lieux et foncier', body: 'Premier message du fil.' })
        .expect(201)
    ).body as { thread: { id: string } };
    for (let index = 2; index <= 30; index++) {
      const body = index === 27 ? 'Le bail emphytéotique a tout débloqué.' : `Message numéro ${index}, pour remplir le fil.`;
      await t.http().post(`/api/threads/${thread.id}/posts`).set('Authorization', bob.auth).send({ body }).expect(201);
    }

    const page = await signedIn(alice);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.url });
    await page.goto(`${t.url}/#/recherche?q=emphyteotique`);
    const hit = page.locator('#search-results li', { hasText: 'bail' });
    await hit.locator('.meta', { hasText: 'Bob Lyon · Métropole de Lyon · ' }).locator('time').waitFor();
    await checkScreen(page, 'recherche-resultats');
    await hit.getByRole('link').click();
    await page.waitForURL(/#\/fils\/[0-9a-f-]{36}\?message=27$/);
    const target = page.locator('#message-27 > article.highlighted');
    await target.waitFor();
    expect(await target.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    const box = (await target.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y).toBeLessThan(900);
    expect(await page.locator('article.highlighted').count()).toBe(1);

    const second = page.locator('#message-2 > article');
    await second.getByRole('button', { name: 'Copier le lien' }).click();
    await second.getByText('Lien copié.').waitFor();
    // page-side code as a function: the page's CSP refuses code given as text
    const link = await page.evaluate(() =>
      (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText(),
    );
    expect(link).toBe(`${t.url}/#/fils/${thread.id}?message=2`);
    await checkScreen(page, 'fil-message-surligne');
    await page.goto(link);
    await page.locator('#message-2 > article.highlighted').waitFor();

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Exporter (Markdown)' }).click()]);
    const markdown = readFileSync(await download.path(), 'utf8');
    expect(markdown).toContain('Tiers-lieux et foncier');
    expect(markdown).toContain('Le bail emphytéotique a tout débloqué.');
  });

  it('lists queue items with date, author, excerpt and a link to the post; tells the author why their post was hidden', async () => {
    const { thread } = (
      await t
        .http()
        .post(`/api/topics/${topicId}/threads`)
        .set('Authorization', alice.auth)
        .send({ title: 'Achats responsables', body: 'Un message **hors sujet** qui mérite un signalement.' })
        .expect(201)
    ).body as { thread: { id: string } };

    const reporter = await signedIn(bob, 375, 812);
    await reporter.goto(`${t.url}/#/fils/${thread.id}`);
    const post = reporter.locator('#message-1 > article');
    await post.getByRole('button', { name: 'Signaler' }).click();
    await post.getByLabel('Motif du signalement').fill('Hors sujet');
    await post.getByRole('button', { name: 'Envoyer le signalement' }).click();
    // the form closes, and says the report went through
    await post.getByText('Signalement envoyé aux modérateurs. Merci.').waitFor();
    expect(await post.getByLabel('Motif du signalement').count()).toBe(0);

    const mod = await signedIn(moderator);
    await mod.goto(`${t.url}/#/moderation`);
    const item = mod.locator('#queue li.queue-item', { hasText: 'Achats responsables' });
    await item.locator('.meta', { hasText: 'Alice Nantes · Nantes Métropole' }).locator('time').first().waitFor();
    await item.locator('.excerpt', { hasText: 'Un message hors sujet qui mérite un signalement.' }).waitFor();
    expect(await item.getByRole('link', { name: 'Voir le message dans « Achats responsables »' }).getAttribute('href')).toBe(
      `#/fils/${thread.id}?message=1`,
    );
    await item.getByText('Bob Lyon,').waitFor();
    await checkScreen(mod, 'file-de-moderation');
    await item.getByLabel('Motif du masquage, montré à l’auteur (facultatif)').fill('Hors du thème des achats');
    await item.getByRole('button', { name: 'Masquer le message' }).click();
    await item.waitFor({ state: 'detached' });

    const author = await signedIn(alice, 375, 812);
    await author.goto(`${t.url}/#/fils/${thread.id}`);
    await author
      .locator('#message-1 .hidden-notice', {
        hasText: 'Votre message a été masqué par la modération : les autres ne le voient plus. Motif : Hors du thème des achats',
      })
      .waitFor();
    await checkScreen(author, 'message-masque-auteur');
    await reporter.locator('#message-1 .gone', { hasText: 'Message masqué par la modération.' }).waitFor();
    expect(await reporter.locator('#message-1 .hidden-notice').count()).toBe(0);

    // a moderator sees the reason too, and can change it from the thread
    await mod.goto(`${t.url}/#/fils/${thread.id}`);
    await mod.locator('#message-1 .hidden-notice', { hasText: 'Message masqué. Motif : Hors du thème des achats' }).waitFor();
    await mod.getByRole('button', { name: 'Motif du masquage' }).click();
    await mod.getByLabel('Motif du masquage, montré à l’auteur').fill('Hors sujet, voir le fil dédié');
    await mod.getByRole('button', { name: 'Enregistrer le motif' }).click();
    await author.reload();
    await author.locator('#message-1 .hidden-notice', { hasText: 'Motif : Hors sujet, voir le fil dédié' }).waitFor();
  });

  it('exports the practice catalogue as CSV for French spreadsheets: semicolons, a BOM, formulas defused', async () => {
    await t
      .http()
      .post('/api/practices')
      .set('Authorization', alice.auth)
      .send({ title: '=SOMME(A1:A9)', summary: 'Un titre qui ressemble à une formule', description: 'Texte ; avec point-virgule', stage: 'idea' })
      .expect(201);
    const page = await signedIn(alice);
    await page.goto(`${t.url}/#/pratiques`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Exporter en CSV' }).click()]);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv.startsWith('\uFEFFIdentifiant;Titre;Métropole;Résumé;Description;')).toBe(true);
    const row = csv.split('\r\n').find((line) => line.includes('SOMME'))!;
    expect(row).toContain(";'=SOMME(A1:A9);Nantes Métropole;");
    expect(row).toContain('"Texte ; avec point-virgule"');
  });
});
