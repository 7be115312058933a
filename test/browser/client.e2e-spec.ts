/**
 * The web client in a real Chromium (the system's /usr/bin/chromium, else the one @sparticuz/chromium ships, driven by
 * playwright-core; see test/support/browser.ts): sign-in through
 * the UI, a thread followed live by a second browser, deep links that survive a reload, and stored Markdown that
 * cannot run script. Needs the built client: `npm run build:client` (or `npm run build`) first.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NextFunction, Request, Response } from 'express';
import type { Page } from 'playwright-core';
import { createTestApp, TEST_PASSWORD, type TestApp, type TestUser } from '../support/test-app';
import { ARTIFACTS, BrowserPages } from './browser-support';

/**
 * The README's screenshots (committed) are rewritten by the accessibility test with UPDATE_SCREENSHOTS=1; otherwise
 * they go to the artifacts, so that running the tests leaves the work tree as it was.
 */
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? join(__dirname, '..', '..', 'docs', 'screenshots') : join(ARTIFACTS, 'readme');

jest.setTimeout(120_000);

/** English a French screen must never show: server messages, framework defaults, values printed raw. */
const ENGLISH_WORDS =
  /\b(must|should|error|invalid|unknown|expired|not found|forbidden|unauthorized|required|loading|submit|cancel|undefined|null|NaN|true|false|each value)\b/i;

/** A request the test app holds back until the test releases it: a slow answer without any sleep. */
interface HeldRequest {
  /** Resolves once the request reached the server. */
  arrived: Promise<void>;
  /** Resolves with true if the browser gave the request up before any answer. */
  cancelled: Promise<boolean>;
  /** Lets the request go on to its route. */
  release(): void;
  /** Resolves once the server is done with the request (answered, or the connection is gone). */
  finished: Promise<void>;
}

interface FocusState {
  label: string;
  /** Its place among the page's controls, as numbered before tabbing; null for an element that is not a control. */
  index: number | null;
  onScreen: boolean;
  shown: boolean;
  outline: { width: number; color: string } | null;
  shadow: string | null;
  backdrop: string;
}

/** WCAG's contrast ratio of two computed colours (`rgb(…)` / `rgba(…)`, alpha ignored: rings are opaque here). */
function contrastRatio(a: string, b: string): number {
  const luminance = (color: string): number => {
    const [red, green, blue] = (color.match(/[\d.]+/g) ?? []).slice(0, 3).map((value) => {
      const c = Number(value) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue;
  };
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

describe('web client (Chromium)', () => {
  let t: TestApp;
  let browser: BrowserPages;
  let alice: TestUser;
  let bob: TestUser;
  let topic: { id: string; title: string };
  let thread: { id: string; title: string };
  let loginShot = false;
  const holds: { method: string; path: string; hold: (request: Request, response: Response, next: NextFunction) => void }[] = [];

  /** Holds the next request for `method path` (path without its query) until released. */
  function holdNext(method: string, path: string): HeldRequest {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let arrive!: () => void;
    const arrived = new Promise<void>((resolve) => (arrive = resolve));
    let cancel!: (cancelled: boolean) => void;
    const cancelled = new Promise<boolean>((resolve) => (cancel = resolve));
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    holds.push({
      method,
      path,
      hold: (_request, response, next) => {
        response.on('close', () => {
          cancel(!response.writableEnded);
          finish();
        });
        arrive();
        void released.then(() => next());
      },
    });
    return { arrived, cancelled, release, finished };
  }

  /** Alice opens a thread in the first topic over the API: `{ thread, post }`. */
  async function openThread(title: string, body: string): Promise<{ thread: { id: string; title: string }; post: { id: string } }> {
    return (await t.http().post(`/api/topics/${topic.id}/threads`).set('Authorization', alice.auth).send({ title, body }).expect(201)).body;
  }

  beforeAll(async () => {
    browser = await BrowserPages.launch();
    mkdirSync(ARTIFACTS, { recursive: true });
    t = await createTestApp({
      requestHook: (request, response, next) => {
        const index = holds.findIndex((held) => held.method === request.method && held.path === request.path);
        if (index < 0) return next();
        holds.splice(index, 1)[0].hold(request, response, next);
      },
    });
    alice = await t.createUser({ displayName: 'Alice Nantes', metropolis: 'nantes-metropole' });
    bob = await t.createUser({ displayName: 'Bob Lyon', metropolis: 'metropole-de-lyon' });
    const topics = (await t.http().get('/api/topics').set('Authorization', alice.auth).expect(200)).body as { id: string; title: string }[];
    topic = topics[0];
    ({ thread } = await openThread('Mesurer l’utilité sociale', 'Quels **indicateurs** utilisez-vous ?'));
  });

  // an uncaught error in the page fails the test that caused it
  afterEach(() => expect(browser.errors.splice(0)).toEqual([]));

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const newPage = (width?: number, height?: number): Promise<Page> => browser.open(width, height);

  async function signIn(page: Page, user: TestUser): Promise<void> {
    await page.goto(t.url);
    await page.getByRole('button', { name: 'Se connecter' }).waitFor();
    if (!loginShot) {
      loginShot = true;
      await page.screenshot({ path: join(ARTIFACTS, `login-${page.viewportSize()?.width ?? 0}.png`), fullPage: true });
    }
    await page.getByLabel('Adresse e-mail', { exact: true }).fill(user.user.email);
    await page.getByLabel('Mot de passe', { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.locator('#connection-state', { hasText: 'connecté' }).waitFor();
  }

  /** The header says « connecté » once the socket is up, so what follows is live. */
  async function waitConnected(page: Page): Promise<void> {
    await page.locator('#connection-state[data-state="connected"]').waitFor();
  }

  it('signs in, opens a thread, posts, and a second browser sees the post live', async () => {
    const page = await newPage();
    await signIn(page, alice);
    // the landing page is « Nouveautés »; the themes are one link away
    await page.getByRole('link', { name: 'Thèmes', exact: true }).click();
    await page.getByRole('link', { name: topic.title }).click();
    await page.getByRole('link', { name: thread.title }).click();
    await page.locator('#posts .post-body', { hasText: 'indicateurs' }).waitFor();
    expect(await page.locator('#posts strong', { hasText: 'indicateurs' }).count()).toBe(1);

    // the deep link survives a reload
    expect(page.url()).toContain(`#/fils/${thread.id}`);
    await page.reload();
    await page.locator('h1', { hasText: thread.title }).waitFor();
    await waitConnected(page);

    const other = await newPage();
    await signIn(other, bob);
    await other.goto(`${t.url}/#/fils/${thread.id}`);
    await other.locator('h1', { hasText: thread.title }).waitFor();
    await waitConnected(other);
    // a draft being typed by Bob must survive the live update
    await other.getByLabel('Votre message').fill('Brouillon de Bob en cours');

    const text = `Nous suivons le taux d’insertion ${Date.now()}`;
    await page.getByLabel('Votre message').fill(text);
    await page.getByRole('button', { name: 'Envoyer' }).click();
    await page.locator('#posts li[data-status="sent"]', { hasText: text }).waitFor();
    await page.locator('#posts li[data-status="sent"] .post-status', { hasText: 'envoyé' }).waitFor();

    await other.locator('#posts .post-body', { hasText: text }).waitFor();
    expect(await other.getByLabel('Votre message').inputValue()).toBe('Brouillon de Bob en cours');
    await other.locator('#announcer', { hasText: 'Nouveau message de Alice Nantes' }).waitFor();

    // Bob answers Alice's post in the tree; Alice sees it nested under her post
    const alicePost = other.locator('#posts li', { hasText: text }).last();
    await alicePost.getByRole('button', { name: 'Répondre' }).click();
    await other.getByLabel('Votre réponse à Alice Nantes').fill('Et le suivi à six mois ?');
    await other.getByRole('button', { name: 'Envoyer' }).first().click();
    await page.locator('#posts li .replies .post-body', { hasText: 'Et le suivi à six mois ?' }).waitFor();

    // Bob drops off the network: the header says so, and on his return he catches up on what he missed
    await other.context().setOffline(true);
    await other.locator('#connection-state[data-state="offline"]', { hasText: 'hors ligne' }).waitFor();
    const missed = `Message pendant la coupure ${Date.now()}`;
    await page.getByLabel('Votre message').fill(missed);
    await page.getByRole('button', { name: 'Envoyer' }).last().click();
    await page.locator('#posts li[data-status="sent"]', { hasText: missed }).waitFor();
    await other.context().setOffline(false);
    await waitConnected(other);
    await other.locator('#posts .post-body', { hasText: missed }).waitFor();
    expect(await other.locator('#posts .post-body', { hasText: missed }).count()).toBe(1);

    // Alice posts while offline: the post waits, « en attente », and goes by itself once she is back, stored once
    await page.context().setOffline(true);
    await page.locator('#connection-state[data-state="offline"]').waitFor();
    const retried = `Envoi repris ${Date.now()}`;
    await page.getByLabel('Votre message').fill(retried);
    await page.getByRole('button', { name: 'Envoyer' }).last().click();
    await page.locator('#posts li[data-status="waiting"] .post-status', { hasText: 'en attente' }).waitFor();
    expect(await page.locator('#posts li[data-status="waiting"]', { hasText: retried }).getByRole('button').count()).toBe(0);
    await page.context().setOffline(false);
    await page.locator('#posts li[data-status="sent"]', { hasText: retried }).waitFor();
    const stored = (await t.http().get(`/api/threads/${thread.id}?limit=200`).set('Authorization', alice.auth).expect(200)).body.posts as {
      body: string;
    }[];
    expect(stored.filter((post) => post.body === retried)).toHaveLength(1);
    await other.locator('#posts .post-body', { hasText: retried }).waitFor();
    expect(await page.locator('#posts .post-body', { hasText: retried }).count()).toBe(1);
    expect(await other.locator('#posts .post-body', { hasText: retried }).count()).toBe(1);

    // Alice edits that post: Bob sees the new text, marked as edited
    await page.locator('#posts li', { hasText: retried }).last().getByRole('button', { name: 'Modifier' }).click();
    await page.getByLabel('Modifier votre message').fill(`${retried} (corrigé)`);
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await other
      .locator('#posts li', { hasText: `${retried} (corrigé)` })
      .locator('.edited')
      .waitFor();

    await page.screenshot({ path: join(ARTIFACTS, 'thread-1280.png'), fullPage: true });
    await page.setViewportSize({ width: 375, height: 812 });
    await page.screenshot({ path: join(ARTIFACTS, 'thread-375.png'), fullPage: true });
  });

  it('renders stored HTML, onerror images and javascript: links as inert text', async () => {
    const bodies = [
      '<script>window.__xss = "script"; alert(1)</script>',
      '<img src=x onerror="window.__xss = \'img\'; alert(2)">',
      '[cliquez ici](javascript:alert(3))',
      '<a href="javascript:alert(4)">lien brut</a> et ![image](javascript:alert(5))',
      '<svg onload="alert(6)"></svg><iframe src="javascript:alert(7)"></iframe> dernier',
    ];
    for (const body of bodies) {
      await t.http().post(`/api/threads/${thread.id}/posts`).set('Authorization', bob.auth).send({ body }).expect(201);
    }
    const page = await newPage(375, 812);
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await signIn(page, alice);
    await page.goto(`${t.url}/#/fils/${thread.id}`);
    await page.locator('#posts .post-body', { hasText: 'dernier' }).waitFor();
    // the raw markup is shown as text
    await page.locator('#posts .post-body', { hasText: '<script>window.__xss' }).waitFor();

    const link = page.locator('#posts a', { hasText: 'cliquez ici' });
    await link.click();
    await page.locator('#posts a', { hasText: 'lien brut' }).count();

    // evaluated as strings: the test project's TypeScript has no DOM library
    const injected = {
      flag: await page.evaluate('window.__xss === undefined ? null : window.__xss'),
      scripts: await page.locator('#posts script').count(),
      handlers: await page.evaluate(
        "Array.from(document.querySelectorAll('#posts *')).filter((el) => Array.from(el.attributes).some((a) => a.name.startsWith('on'))).length",
      ),
      images: await page.locator('#posts img').count(),
      frames: await page.locator('#posts iframe, #posts svg, #posts object, #posts embed').count(),
      jsLinks: await page.evaluate("Array.from(document.querySelectorAll('#posts a[href]')).filter((a) => !/^https?:|^mailto:/.test(a.href)).length"),
    };
    expect(injected).toEqual({ flag: null, scripts: 0, handlers: 0, images: 0, frames: 0, jsLinks: 0 });
    expect(dialogs).toEqual([]);
    expect(await link.getAttribute('href')).toBeNull();
    await page.screenshot({ path: join(ARTIFACTS, 'thread-xss-375.png'), fullPage: true });
  });
  it('browses the practice catalogue by lever and opens a sheet with its discussion', async () => {
    const page = await newPage(375, 812);
    await signIn(page, bob);
    await page.getByRole('link', { name: 'Pratiques' }).click();
    await page.locator('#practices a', { hasText: 'Nantes ESS Factory' }).waitFor();
    await page.getByLabel('Levier', { exact: true }).selectOption('land-and-third-places');
    await page.locator('#practice-count', { hasText: '0 fiche' }).waitFor();
    expect(page.url()).toContain('lever=land-and-third-places');
    await page.getByLabel('Levier', { exact: true }).selectOption('ecosystem-support');
    await page.locator('#practices a', { hasText: 'Nantes ESS Factory' }).waitFor();
    // the filtered list is a link that survives a reload
    await page.reload();
    await page.locator('#practices a', { hasText: 'Nantes ESS Factory' }).waitFor();
    expect(await page.getByLabel('Levier', { exact: true }).inputValue()).toBe('ecosystem-support');
    await page.locator('table.grid th', { hasText: 'Nantes Métropole' }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'practices-375.png'), fullPage: true });

    await page.locator('#practices a', { hasText: 'Nantes ESS Factory' }).click();
    await page.locator('h1', { hasText: 'Nantes ESS Factory' }).waitFor();
    await page.locator('.sheet dd li', { hasText: 'Les Ecossolies' }).waitFor();
    await page.locator('h2', { hasText: 'Discussion sur la fiche' }).waitFor();
    await waitConnected(page);
    await page.getByLabel('Votre message').fill('Combien de projets accompagnés en 2019 ?');
    await page.getByRole('button', { name: 'Envoyer' }).click();
    await page.locator('#posts li[data-status="sent"]', { hasText: 'Combien de projets' }).waitFor();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: join(ARTIFACTS, 'practice-1280.png'), fullPage: true });

    // search, from the header's box on any screen, ignores accents and case, and highlights the match
    await page.getByLabel('Rechercher dans Essor').fill('ESS FACTORY');
    await page.getByRole('button', { name: 'Chercher' }).click();
    await page.locator('#search-results a', { hasText: 'Nantes ESS Factory' }).first().waitFor();
    expect(page.url()).toContain('#/recherche?q=ESS+FACTORY');
    await page.locator('#search-results mark').first().waitFor();
  });
  it('lets a moderator create a topic and hide a post, which participants see hidden live', async () => {
    const moderator = await t.createUser({ role: 'moderator', displayName: 'Modération RTES' });
    const body = `Message à masquer ${Date.now()}`;
    await t.http().post(`/api/threads/${thread.id}/posts`).set('Authorization', bob.auth).send({ body }).expect(201);

    const reader = await newPage();
    await signIn(reader, bob);
    await reader.goto(`${t.url}/#/fils/${thread.id}`);
    await reader.locator('#posts .post-body', { hasText: body }).waitFor();
    await waitConnected(reader);

    const page = await newPage();
    await signIn(page, moderator);
    await page.getByRole('link', { name: 'Thèmes', exact: true }).click();
    await page.getByLabel('Titre du thème').fill('Tiers-lieux et foncier');
    await page.getByRole('button', { name: 'Créer le thème' }).click();
    await page.locator('#topics h2', { hasText: 'Tiers-lieux et foncier' }).waitFor();
    await page.getByRole('link', { name: 'Tiers-lieux et foncier' }).click();
    await page.getByLabel('Titre', { exact: true }).fill('Recenser les tiers-lieux');
    await page.getByLabel('Premier message').fill('Qui tient un **inventaire** ?');
    await page.getByRole('button', { name: 'Publier le fil' }).click();
    await page.locator('h1', { hasText: 'Recenser les tiers-lieux' }).waitFor();
    await page.locator('#posts strong', { hasText: 'inventaire' }).waitFor();

    await page.goto(`${t.url}/#/fils/${thread.id}`);
    const post = page.locator('#posts li', { hasText: body }).last();
    await post.getByRole('button', { name: 'Masquer' }).click();
    await post.getByRole('button', { name: 'Réafficher' }).waitFor();
    await reader.locator('#posts .gone', { hasText: 'Message masqué par la modération.' }).waitFor();
    expect(await reader.locator('#posts .post-body', { hasText: body }).count()).toBe(0);
  });
  it('follows a live session: agenda, presence, discussion of the current item, and a poll', async () => {
    const moderator = await t.createUser({ role: 'moderator', displayName: 'Animatrice Avise' });
    // the moderator schedules the session through the UI
    const host = await newPage();
    await signIn(host, moderator);
    await host.getByRole('link', { name: 'Séances' }).click();
    await host.getByLabel('Titre de la séance').fill('Troisième groupe de travail');
    await host.getByLabel('Date et heure').fill('2030-03-05T10:00');
    await host.getByLabel('Présentation').fill('Séance **à distance**.');
    await host.getByLabel('Ordre du jour').fill('Tour de table | 15\nÉvaluation de l’utilité sociale | 45');
    await host.getByRole('button', { name: 'Programmer' }).click();
    await host.locator('#session-status', { hasText: 'à venir' }).waitFor();
    await host.locator('#agenda li', { hasText: 'Évaluation de l’utilité sociale' }).waitFor();

    const participant = await newPage(375, 812);
    await signIn(participant, alice);
    await participant.getByRole('link', { name: 'Séances' }).click();
    // « Nouveautés », where sign-in lands, also links the session (and its calendar file): wait for the list itself
    await participant.locator('h1', { hasText: 'Séances du groupe de travail' }).waitFor();
    await participant.getByRole('link', { name: 'Troisième groupe de travail', exact: true }).click();
    await participant.locator('#session-status', { hasText: 'à venir' }).waitFor();
    await participant.locator('.lead strong', { hasText: 'à distance' }).waitFor();
    // the room shows one of « S’inscrire » / « Se désinscrire », from the reader's `joined`
    await participant.getByRole('button', { name: 'S’inscrire' }).click();
    await participant.getByRole('button', { name: 'Se désinscrire' }).waitFor();
    expect(await participant.getByRole('button', { name: 'S’inscrire' }).count()).toBe(0);
    await participant.getByText('1 inscrit', { exact: false }).first().waitFor();
    await participant.locator('#attendance-chart li', { hasText: 'Nantes Métropole' }).waitFor();

    await host.locator('#presence li', { hasText: 'Alice Nantes' }).waitFor();
    await participant.locator('#presence li', { hasText: 'Animatrice Avise' }).waitFor();
    expect(await host.locator('#presence-chart').isHidden()).toBe(true);

    // joins are not broadcast; the next broadcast carries the new count, and the room asks for the breakdown again
    const staff = await t.createUser({ displayName: 'Chargée de mission RTES' });
    const session = (await t.http().get('/api/sessions?status=scheduled').set('Authorization', bob.auth).expect(200)).body.find(
      (s: { title: string }) => s.title === 'Troisième groupe de travail',
    );
    for (const person of [bob, staff]) await t.http().post(`/api/sessions/${session.id}/join`).set('Authorization', person.auth).expect(200);
    // others' joins reach the chart at once, before anything else happens in the room
    await participant.locator('#attendance-chart li', { hasText: 'Métropole de Lyon' }).waitFor();
    await host.getByRole('button', { name: 'Démarrer la séance' }).click();
    await participant.locator('#session-status', { hasText: 'en direct' }).waitFor();
    await host.locator('#presence-chart li', { hasText: 'Nantes Métropole' }).waitFor();
    expect(await participant.locator('#attendance-chart li').allTextContents()).toEqual([
      'Métropole de Lyon1 inscrit',
      'Nantes Métropole1 inscrit',
      'Réseaux / sans métropole1 inscrit',
    ]);
    await participant.locator('#agenda li[aria-current="step"]', { hasText: 'Tour de table' }).waitFor();
    await participant.locator('#discussion h2', { hasText: 'Tour de table' }).waitFor();
    // a draft in the current item's discussion survives the agenda moving on
    await participant.getByLabel('Votre message').fill('Bonjour à toutes et à tous');

    await host.getByRole('button', { name: 'Point suivant' }).click();
    await participant.locator('#agenda li[aria-current="step"]', { hasText: 'Évaluation' }).waitFor();
    await participant.locator('#discussion h2', { hasText: 'Évaluation' }).waitFor();
    await participant.locator('#agenda li', { hasText: 'Tour de table' }).getByRole('button', { name: 'voir la discussion' }).click();
    await participant.locator('#discussion h2', { hasText: 'Tour de table' }).waitFor();
    expect(await participant.getByLabel('Votre message').inputValue()).toBe('Bonjour à toutes et à tous');
    await participant.getByRole('button', { name: 'Suivre le point en cours' }).click();
    await participant.locator('#discussion h2', { hasText: 'Évaluation' }).waitFor();

    await host.getByLabel('Question').fill('Faut-il un référentiel commun ?');
    await host.getByLabel('Réponses possibles').fill('Oui\nNon\nÀ discuter');
    await host.getByRole('button', { name: 'Lancer le sondage' }).click();
    await participant.locator('.poll h3', { hasText: 'Faut-il un référentiel commun ?' }).waitFor();
    await participant.getByRole('button', { name: 'Voter pour « Oui »' }).click();
    // results hidden until one has voted (the default): the participant who voted sees them, the host only the count
    await participant.locator('.poll .poll-line', { hasText: '1 (100 %)' }).waitFor();
    await host.locator('.poll .meta', { hasText: '1 vote · résultats affichés après votre vote ou à la clôture' }).waitFor();
    await participant.locator('.poll strong', { hasText: '(votre choix)' }).waitFor();
    await participant.screenshot({ path: join(ARTIFACTS, 'session-375.png'), fullPage: true });
    await host.screenshot({ path: join(ARTIFACTS, 'session-1280.png'), fullPage: true });
  });
  it('publishes a practice sheet for the author’s metropolis, then edits it', async () => {
    const page = await newPage(375, 812);
    await signIn(page, bob);
    await page.goto(`${t.url}/#/pratiques/nouvelle`);
    await page.getByLabel('Titre', { exact: true }).fill('Clauses sociales dans les marchés');
    await page.getByLabel('Résumé').fill('Des clauses d’insertion dans les marchés publics de la métropole.');
    await page.getByLabel('Description').fill('Depuis 2015, **10 %** des heures des grands chantiers.');
    await page.getByLabel('Achats socialement responsables').check();
    await page.getByLabel('Partenaires').fill('Maison de l’emploi\nFacilitateurs');
    await page.getByLabel('Liens').fill('https://example.org/clauses');
    await page.getByRole('button', { name: 'Publier la fiche' }).click();
    await page.locator('h1', { hasText: 'Clauses sociales dans les marchés' }).waitFor();
    await page.locator('.sheet dd', { hasText: 'Métropole de Lyon' }).waitFor();
    await page.locator('.sheet a[href="https://example.org/clauses"]').waitFor();

    await page.getByRole('link', { name: 'Modifier la fiche' }).click();
    await page.getByLabel('Résumé').fill('Clauses d’insertion, résumé revu.');
    await page.getByRole('button', { name: 'Enregistrer la fiche' }).click();
    await page.locator('.lead', { hasText: 'résumé revu' }).waitFor();

    await page.goto(`${t.url}/#/pratiques?lever=responsible-purchasing`);
    await page.locator('#practices a', { hasText: 'Clauses sociales dans les marchés' }).waitFor();
  });

  it('lets a participant report a post and a moderator resolve it from the queue', async () => {
    const page = await newPage();
    await signIn(page, bob);
    await page.goto(`${t.url}/#/fils/${thread.id}`);
    const root = page.locator('#posts li', { hasText: 'indicateurs' }).first();
    await root.locator('.post-body').first().waitFor();
    await root.getByRole('button', { name: 'Signaler' }).first().click();
    await page.getByLabel('Motif du signalement').fill('Hors sujet pour le groupe');
    await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
    await page.getByText('Signalement envoyé aux modérateurs.').waitFor();
    // the form closed; a second report of the same post by the same reader is refused (409)
    await root.getByRole('button', { name: 'Signaler' }).first().click();
    await page.getByLabel('Motif du signalement').fill('Encore');
    await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
    await page.getByText('Vous avez déjà signalé ce message.').waitFor();

    const moderator = await t.createUser({ role: 'moderator', displayName: 'Modératrice File' });
    const mod = await newPage();
    await signIn(mod, moderator);
    await mod.getByRole('link', { name: 'File de modération' }).click();
    const item = mod.locator('#queue > li', { hasText: 'Hors sujet pour le groupe' });
    await item.waitFor();
    await item.getByRole('link', { name: thread.title }).waitFor();
    await item.getByText(/^Bob Lyon, .+ : Hors sujet pour le groupe$/).waitFor();
    await item.getByRole('button', { name: 'Classer sans suite' }).click();
    await item.waitFor({ state: 'detached' });
    await mod.locator('#announcer', { hasText: 'Signalements classés.' }).waitFor();
  });

  it('keeps a report reason, a reply and an edit being typed while others post, edit and delete in the thread', async () => {
    const created = await openThread('Brouillons et direct', 'Message d’Alice à signaler');
    const threadId = created.thread.id;
    const post = async (by: TestUser, body: string, parentId?: string): Promise<string> =>
      (await t.http().post(`/api/threads/${threadId}/posts`).set('Authorization', by.auth).send({ body, parentId }).expect(201)).body.id;
    const reported = created.post.id;
    const answered = await post(alice, 'Message d’Alice auquel Bob répond');
    const doomed = await post(alice, 'Message qu’Alice va supprimer');
    const bobs = await post(bob, 'Message de Bob qu’il corrige');
    const article = (page: Page, postId: string) => page.locator(`#posts li[data-post-id="${postId}"] > article`);

    const reader = await newPage();
    await signIn(reader, bob);
    await reader.goto(`${t.url}/#/fils/${threadId}`);
    await article(reader, bobs).waitFor();
    await waitConnected(reader);
    const writer = await newPage();
    writer.on('dialog', (dialog) => void dialog.accept());
    await signIn(writer, alice);
    await writer.goto(`${t.url}/#/fils/${threadId}`);
    await article(writer, bobs).waitFor();
    await waitConnected(writer);

    // Bob opens the three boxes a post has, on three posts that will change under him, and types the reason last
    await article(reader, bobs).getByRole('button', { name: 'Modifier' }).click();
    await reader.getByLabel('Modifier votre message').fill('Correction de Bob en cours');
    await article(reader, answered).getByRole('button', { name: 'Répondre' }).click();
    await reader.getByLabel('Votre réponse à Alice Nantes').fill('Réponse de Bob en cours');
    await article(reader, reported).getByRole('button', { name: 'Signaler' }).click();
    const reason = reader.getByLabel('Motif du signalement');
    await reason.pressSequentially('Propos hors');

    // meanwhile Alice, in her browser: a new message, an edit of the very post being reported, a reply under it,
    // an edit of the post Bob answers, and a deletion
    await writer.getByLabel('Votre message').fill('Nouveau message d’Alice');
    await writer.getByRole('button', { name: 'Envoyer' }).click();
    // each edit box is looked for in its post: the first may still be saving when the second opens
    await article(writer, reported).getByRole('button', { name: 'Modifier' }).click();
    await article(writer, reported).getByLabel('Modifier votre message').fill('Message d’Alice à signaler, corrigé');
    await article(writer, reported).getByRole('button', { name: 'Enregistrer' }).click();
    await article(writer, answered).getByRole('button', { name: 'Modifier' }).click();
    await article(writer, answered).getByLabel('Modifier votre message').fill('Message d’Alice auquel Bob répond, corrigé');
    await article(writer, answered).getByRole('button', { name: 'Enregistrer' }).click();
    await post(alice, 'Réponse d’Alice sous le message signalé', reported);
    await article(writer, doomed).getByRole('button', { name: 'Supprimer' }).click();

    await reader.locator('#posts .post-body', { hasText: 'Nouveau message d’Alice' }).waitFor();
    await article(reader, reported).locator('.post-body', { hasText: 'corrigé' }).waitFor();
    await article(reader, answered).locator('.post-body', { hasText: 'corrigé' }).waitFor();
    await reader.locator(`#posts li[data-post-id="${reported}"] .replies .post-body`, { hasText: 'Réponse d’Alice' }).waitFor();
    await article(reader, doomed).locator('.gone', { hasText: 'Message supprimé.' }).waitFor();

    // every box kept its text, and the reason its focus: Bob goes on typing where he was
    expect(await reader.locator('#posts form').count()).toBe(3);
    await reason.pressSequentially(' sujet');
    expect(await reason.inputValue()).toBe('Propos hors sujet');
    expect(await reader.getByLabel('Votre réponse à Alice Nantes').inputValue()).toBe('Réponse de Bob en cours');
    expect(await reader.getByLabel('Modifier votre message').inputValue()).toBe('Correction de Bob en cours');

    // the thread drawn anew (a reload here, the agenda moving on in a session) gives every box back when reopened
    await reader.reload();
    await article(reader, bobs).waitFor();
    await article(reader, bobs).getByRole('button', { name: 'Modifier' }).click();
    expect(await reader.getByLabel('Modifier votre message').inputValue()).toBe('Correction de Bob en cours');
    await article(reader, answered).getByRole('button', { name: 'Répondre' }).click();
    expect(await reader.getByLabel('Votre réponse à Alice Nantes').inputValue()).toBe('Réponse de Bob en cours');
    await article(reader, reported).getByRole('button', { name: 'Signaler' }).click();
    expect(await reason.inputValue()).toBe('Propos hors sujet');
    await reader.getByRole('button', { name: 'Envoyer le signalement' }).click();
    await reader.getByText('Signalement envoyé aux modérateurs.').waitFor();
    // a report sent and an edit cancelled are forgotten; the reply, still open, is kept
    await article(reader, bobs).getByRole('button', { name: 'Modifier' }).click();
    await reader.locator('.edit-form').getByRole('button', { name: 'Annuler' }).click();
    const kept = await reader.evaluate(() => Object.keys((globalThis as any).localStorage).filter((key) => key.startsWith('essor.draft.')));
    expect(kept).toEqual([`essor.draft.${threadId}.${answered}`]);
  });

  /** What the focused element shows: whether it is on screen, and its focus ring's colours against what lies behind. */
  async function focusState(page: Page): Promise<FocusState | null> {
    return page.evaluate(() => {
      const doc = (globalThis as any).document;
      const view = globalThis as any;
      const el = doc.activeElement;
      if (!el || el === doc.body || el === doc.documentElement) return null;
      const style = view.getComputedStyle(el);
      const rect = el.getBoundingClientRect();
      let backdrop = 'rgb(255, 255, 255)';
      for (let node = el.parentElement; node; node = node.parentElement) {
        const color = view.getComputedStyle(node).backgroundColor;
        if (color.startsWith('rgb(')) {
          backdrop = color;
          break;
        }
      }
      return {
        label: `${el.tagName.toLowerCase()} « ${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40) || el.id} »`,
        index: el.dataset.kbd === undefined ? null : Number(el.dataset.kbd),
        onScreen:
          rect.width > 0 && rect.height > 0 && rect.bottom > 0 && rect.right > 0 && rect.top < view.innerHeight && rect.left < view.innerWidth,
        shown: style.visibility !== 'hidden' && Number(style.opacity) > 0,
        outline: style.outlineStyle === 'none' ? null : { width: parseFloat(style.outlineWidth), color: style.outlineColor },
        shadow: style.boxShadow === 'none' ? null : style.boxShadow,
        backdrop,
      };
    });
  }

  /**
   * Tabs through the whole page (the cycle passes every control whatever the start) and checks that each control
   * is reached, on screen when focused, and ringed by an outline or a shadow of 3:1 contrast against its backdrop.
   */
  async function tabThrough(page: Page, screen: string): Promise<void> {
    const controls: string[] = await page.evaluate(() => {
      const doc = (globalThis as any).document;
      const selector =
        'a[href], button:not([disabled]), input:not([type="hidden"]):not([disabled]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';
      const found = Array.from(doc.querySelectorAll(selector) as ArrayLike<any>).filter((el) => el.checkVisibility({ visibilityProperty: true }));
      found.forEach((el, index) => (el.dataset.kbd = String(index)));
      return found.map(
        (el) => `${el.tagName.toLowerCase()} « ${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40) || el.id} »`,
      );
    });
    expect(controls.length).toBeGreaterThan(3);
    const reached = new Set<number>();
    const problems: string[] = [];
    // a date input takes one Tab per part of the date
    for (let step = 0; step < 3 * controls.length + 10 && reached.size < controls.length; step++) {
      await page.keyboard.press('Tab');
      const state = await focusState(page);
      if (!state) continue;
      if (state.index !== null) reached.add(state.index);
      const rings = [
        state.outline && state.outline.width >= 2 ? state.outline.color : null,
        ...(state.shadow?.match(/rgba?\([^)]*\)/g) ?? []),
      ].filter((color): color is string => color !== null);
      const contrast = Math.max(0, ...rings.map((color) => contrastRatio(color, state.backdrop)));
      if (!state.onScreen || !state.shown) problems.push(`${screen}: ${state.label} is focused off screen`);
      if (contrast < 3)
        problems.push(`${screen}: ${state.label} has no focus ring of 3:1 (rings ${rings.join(' / ') || 'none'} on ${state.backdrop})`);
    }
    const missed = controls.filter((_, index) => !reached.has(index));
    expect({ problems, missed }).toEqual({ problems: [], missed: [] });
  }

  async function expectHeadingFocused(page: Page, title: string): Promise<void> {
    await page.waitForFunction(() => (globalThis as any).document.activeElement?.tagName === 'H1');
    expect(await page.locator('h1:focus').textContent()).toBe(title);
  }

  it('is usable with the keyboard: every control of a thread and a live room reached by Tab, with a visible focus ring', async () => {
    const moderator = await t.createUser({ role: 'moderator', displayName: 'Modérateur Clavier' });
    const created = await openThread('Au clavier', 'Un message avec un [lien](https://example.org/clavier).');
    const keyboardThread = created.thread;
    await t
      .http()
      .post(`/api/threads/${keyboardThread.id}/posts`)
      .set('Authorization', bob.auth)
      .send({ body: 'Une réponse', parentId: created.post.id })
      .expect(201);
    const session = (
      await t
        .http()
        .post('/api/sessions')
        .set('Authorization', moderator.auth)
        .send({
          title: 'Séance au clavier',
          description: 'Essai',
          startsAt: '2030-09-01T08:00:00Z',
          agenda: [{ title: 'Ouverture' }, { title: 'Suite' }],
        })
        .expect(201)
    ).body as { id: string; title: string };
    await t.http().post(`/api/sessions/${session.id}/join`).set('Authorization', alice.auth).expect(200);
    await t.http().post(`/api/sessions/${session.id}/start`).set('Authorization', moderator.auth).expect(200);
    await t
      .http()
      .post(`/api/sessions/${session.id}/polls`)
      .set('Authorization', moderator.auth)
      .send({ question: 'On continue ?', options: ['Oui', 'Non'] })
      .expect(201);

    const page = await newPage();
    await signIn(page, moderator);
    await page.goto(`${t.url}/#/fils/${keyboardThread.id}`);
    await page.locator('#posts .post-body', { hasText: 'Une réponse' }).waitFor();
    await expectHeadingFocused(page, keyboardThread.title);
    await waitConnected(page);
    await tabThrough(page, 'fil');
    // an action that redraws the post's buttons leaves the focus at the same place, on the button now there
    await page.locator('#posts article', { hasText: 'Une réponse' }).getByRole('button', { name: 'Masquer' }).focus();
    await page.keyboard.press('Enter');
    await page.locator('#posts article', { hasText: 'Une réponse' }).getByRole('button', { name: 'Réafficher' }).waitFor();
    expect(await page.locator('#posts button:focus').textContent()).toBe('Réafficher');
    await page.screenshot({ path: join(ARTIFACTS, 'keyboard-focus-1280.png') });
    // a form opened from the keyboard takes the focus, and gives it back to the post's buttons when cancelled
    await page.locator('#posts article', { hasText: 'Une réponse' }).getByRole('button', { name: 'Répondre' }).press('Enter');
    expect(await page.locator('textarea:focus').getAttribute('id')).toMatch(/^reply-/);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.locator('button:focus').textContent()).toBe('Annuler');
    await page.keyboard.press('Enter');
    expect(await page.locator('#posts button:focus').textContent()).toBe('Répondre');
    // deleting leaves the post without buttons: the focus stays on the post, which now says it was deleted
    const replyArticle = page.locator('#posts article', { hasText: 'Une réponse' });
    const replyId = await replyArticle.getAttribute('aria-labelledby');
    page.once('dialog', (dialog) => void dialog.accept());
    await replyArticle.getByRole('button', { name: 'Supprimer' }).press('Enter');
    const deleted = page.locator(`#posts article[aria-labelledby="${replyId}"]`);
    await deleted.locator('.gone', { hasText: 'Message supprimé.' }).waitFor();
    expect(await deleted.locator('.post-body:focus').count()).toBe(1);

    // from the header to the sessions, then into the room, by keyboard alone: focus lands on each new heading
    await page.getByRole('link', { name: 'Séances', exact: true }).focus();
    await page.keyboard.press('Enter');
    await expectHeadingFocused(page, 'Séances du groupe de travail');
    await page.getByRole('link', { name: session.title }).focus();
    await page.keyboard.press('Enter');
    await expectHeadingFocused(page, session.title);
    await page.locator('#discussion textarea').waitFor();
    await page.locator('.poll h3', { hasText: 'On continue ?' }).waitFor();
    await page.locator('#attendance-chart li', { hasText: 'Nantes Métropole' }).waitFor();
    await tabThrough(page, 'salle de séance');
    await page.setViewportSize({ width: 375, height: 812 });
    await tabThrough(page, 'salle de séance (375 px)');

    // the room is drawn again after each action; the keyboard user stays on the button pressed, or its successor
    await page.getByRole('button', { name: 'Point suivant' }).press('Enter');
    await page.locator('#agenda li[aria-current="step"]', { hasText: 'Suite' }).waitFor();
    // the last item has no « Point suivant »: the focus stays at its place, now « Point précédent »
    expect(await page.locator('button:focus').textContent()).toBe('Point précédent');
    await page.getByRole('button', { name: 'Voter pour « Oui »' }).press('Enter');
    await page.locator('.poll strong', { hasText: '(votre choix)' }).waitFor();
    expect(await page.locator('button:focus').getAttribute('aria-label')).toBe('Voter pour « Oui »');
    await page.getByRole('button', { name: 'Clore la séance' }).press('Enter');
    await page.locator('#session-status', { hasText: 'terminée' }).waitFor();
    expect(await page.locator(':focus').textContent()).toBe('Compte rendu');
  });

  // every screen at two widths: minutes on a loaded machine with the packaged Chromium
  it('has no accessibility violation of any impact (axe-core) on any screen, where Tab reaches every control with a visible ring', async () => {
    const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
    const moderator = await t.createUser({ role: 'moderator', displayName: 'Modératrice Axe' });
    const page = await newPage();
    // the room whole, so that its attendance chart, below the fold, shows
    const SHOTS: Record<string, { file: string; fullPage?: boolean }> = {
      connexion: { file: 'connexion' },
      fil: { file: 'fil' },
      'salle de séance': { file: 'seance', fullPage: true },
      'catalogue et grille': { file: 'pratiques' },
    };
    const ARTIFACT_SHOTS: Record<string, string> = { 'séance passée': 'session-closed' };
    mkdirSync(SCREENSHOTS, { recursive: true });
    const summary: Record<string, Record<string, number>> = {};
    const violations: string[] = [];
    async function check(name: string): Promise<void> {
      await page.locator('main h1').first().waitFor();
      // evaluated through the DevTools protocol: the page's CSP (no inline script) refuses an injected <script>
      await page.evaluate(AXE_SOURCE);
      const results: { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] } = await page.evaluate('axe.run(document)');
      const counts: Record<string, number> = {};
      for (const v of results.violations) {
        counts[v.impact] = (counts[v.impact] ?? 0) + 1;
        violations.push(
          `${name}: ${v.id} (${v.impact}) ${v.nodes
            .map((n) => n.target.join(' '))
            .slice(0, 3)
            .join(', ')}`,
        );
      }
      summary[name] = counts;
      const shot = SHOTS[name];
      if (shot) await page.screenshot({ path: join(SCREENSHOTS, `${shot.file}-1280.png`), fullPage: shot.fullPage });
      if (ARTIFACT_SHOTS[name]) await page.screenshot({ path: join(ARTIFACTS, `${ARTIFACT_SHOTS[name]}-1280.png`), fullPage: true });
      await tabThrough(page, name);
    }
    await page.goto(t.url);
    await page.getByRole('button', { name: 'Se connecter' }).waitFor();
    await check('connexion');
    await page.getByLabel('Adresse e-mail', { exact: true }).fill(moderator.user.email);
    await page.getByLabel('Mot de passe', { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await waitConnected(page);
    const sessions = (await t.http().get('/api/sessions').set('Authorization', moderator.auth).expect(200)).body as
      { id: string }[] | { items: { id: string }[] };
    const closed = (await t.http().get('/api/sessions?status=closed').set('Authorization', moderator.auth).expect(200)).body as { id: string }[];
    const practices = (await t.http().get('/api/practices').set('Authorization', moderator.auth).expect(200)).body as
      { id: string }[] | { items: { id: string }[] };
    const first = (list: { id: string }[] | { items: { id: string }[] }): string | undefined => (Array.isArray(list) ? list : list.items)[0]?.id;
    const screens: [string, string, string | undefined][] = [
      ['thèmes', '#/themes', undefined],
      ['fils d’un thème', `#/themes/${topic.id}`, undefined],
      ['fil', `#/fils/${thread.id}`, '#posts .post-body'],
      ['séances', '#/seances', undefined],
      ['salle de séance', first(sessions) ? `#/seances/${first(sessions)}` : '', '#attendance > *'],
      // a seeded session: nobody joined it on Essor, its attendance says so
      ['séance passée', first(closed) ? `#/seances/${first(closed)}` : '', '#attendance > *'],
      ['catalogue et grille', '#/pratiques', undefined],
      ['fiche pratique', first(practices) ? `#/pratiques/${first(practices)}` : '', undefined],
      ['recherche', '#/recherche?q=indicateurs', undefined],
      ['administration', '#/administration', undefined],
      ['file de modération', '#/moderation', undefined],
    ];
    for (const [name, hash, ready] of screens) {
      if (!hash) continue;
      await page.goto(`${t.url}/${hash}`);
      if (ready) await page.locator(ready).first().waitFor();
      await check(name);
    }
    console.log(
      `axe-core violations by impact per screen:\n${Object.entries(summary)
        .map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`)
        .join('\n')}`,
    );
    // the README's phone screenshot: a thread at 375 px
    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto(`${t.url}/#/fils/${thread.id}`);
    await page.locator('#posts .post-body').first().waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'fil-375.png') });
    if (first(sessions)) {
      await page.goto(`${t.url}/#/seances/${first(sessions)}`);
      await page.locator('#attendance > *').first().waitFor();
      await page.screenshot({ path: join(SCREENSHOTS, 'seance-375.png'), fullPage: true });
    }
    expect(violations).toEqual([]);
  }, 300_000);

  it('never draws a list that arrives after the reader left its screen: the load is cancelled', async () => {
    const page = await newPage();
    await signIn(page, alice);
    await page.locator('h1', { hasText: 'Nouveautés' }).waitFor();
    const slow = holdNext('GET', '/api/sessions');
    await page.getByRole('link', { name: 'Séances' }).click();
    await slow.arrived;
    await page.locator('.loading', { hasText: 'Chargement des séances' }).waitFor();
    await page.goto(`${t.url}/#/fils/${thread.id}`);
    await page.locator('h1', { hasText: thread.title }).waitFor();
    // leaving the screen gave the load up: the browser closed the request before any answer
    expect(await slow.cancelled).toBe(true);
    slow.release();
    await slow.finished;
    // a round trip through the page after the server was done: anything still on its way has landed by now
    expect(await page.evaluate("fetch('/api/health').then((response) => response.status)")).toBe(200);
    expect(await page.locator('main h2', { hasText: /En direct|À venir|Passées/ }).count()).toBe(0);
    expect(await page.locator('main a[href^="#/seances/"]').count()).toBe(0);
    expect(await page.locator('main h1').allTextContents()).toEqual([thread.title]);

    // a load that is merely slow still lands on its own screen
    const later = holdNext('GET', '/api/sessions');
    await page.getByRole('link', { name: 'Séances' }).click();
    await later.arrived;
    later.release();
    await page.locator('main h2', { hasText: 'Passées' }).waitFor();
  });

  it('numbers lists where the Markdown starts them, in posts and practice sheets', async () => {
    const created = await openThread('Listes numérotées', '1. un\n2. deux\n\nEnsuite :\n\n3. trois\n4. quatre\n\n- une puce');
    const practice = await t
      .http()
      .post('/api/practices')
      .set('Authorization', alice.auth)
      .send({ title: 'Étapes numérotées', summary: 'Des étapes', description: '5. cinquième étape\n6. sixième étape', stage: 'idea' })
      .expect(201);
    const page = await newPage(375, 812);
    await signIn(page, alice);
    await page.goto(`${t.url}/#/fils/${created.thread.id}`);
    await page.locator('#posts .post-body li', { hasText: 'quatre' }).waitFor();
    // evaluated as strings: the test project's TypeScript has no DOM library
    const starts = "Array.from(document.querySelectorAll('SELECTOR ol')).map((ol) => ol.start)";
    expect(await page.evaluate(starts.replace('SELECTOR', '#posts .post-body'))).toEqual([1, 3]);
    await page.goto(`${t.url}/#/pratiques/${practice.body.id as string}`);
    await page.locator('.post-body li', { hasText: 'sixième' }).waitFor();
    expect(await page.evaluate(starts.replace('SELECTOR', 'article .post-body'))).toEqual([5]);

    // scrolled to the bottom of a long page on a phone, the connection state is still in sight
    await page.evaluate('window.scrollTo(0, document.body.scrollHeight)');
    const state = await page.locator('#connection-state').boundingBox();
    expect(state && state.y >= 0 && state.y + state.height <= 812).toBe(true);
  });

  it('speaks French only: server refusals by field, checks in the browser, and no English word on the screens', async () => {
    const page = await newPage();
    const visibleEnglish = async (): Promise<string[]> => {
      const text = await page.locator('body').innerText();
      return text.split('\n').filter((line) => ENGLISH_WORDS.test(line));
    };
    // the server refuses an unknown invitation code in French, the field named by its form label
    await page.goto(t.url);
    await page.getByText('J’ai reçu une invitation : créer mon compte').click();
    await page.getByLabel('Code d’invitation').fill('CODE-INCONNU');
    await page.getByLabel('Adresse e-mail (celle de l’invitation)').fill('nouvelle@example.org');
    await page.getByLabel('Nom affiché').fill('Nouvelle Personne');
    await page.getByLabel('Choisissez un mot de passe').fill('un mot de passe long');
    await page.getByRole('button', { name: 'Créer mon compte' }).click();
    await page.getByText('« Code d’invitation » est inconnu, déjà utilisé ou expiré.').waitFor();
    expect(await visibleEnglish()).toEqual([]);

    await page.getByLabel('Adresse e-mail', { exact: true }).fill(alice.user.email);
    await page.getByLabel('Mot de passe', { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.locator('#connection-state', { hasText: 'connecté' }).waitFor();

    // a practice whose link is not a web address is stopped in the browser, in French
    await page.goto(`${t.url}/#/pratiques/nouvelle`);
    await page.getByLabel('Titre', { exact: true }).fill('Fiche aux liens douteux');
    await page.getByLabel('Résumé').fill('Résumé');
    await page.getByLabel('Description').fill('Description');
    await page.getByLabel('Liens').fill('https://www.essor.example/ok\nftp://fichiers.example/doc');
    await page.getByRole('button', { name: 'Publier la fiche' }).click();
    await page.getByText('Liens : « ftp://fichiers.example/doc » n’est pas une adresse web commençant par http:// ou https://.').waitFor();
    expect(await visibleEnglish()).toEqual([]);

    // a blank message is stopped in the browser; a refusal only the server knows (the thread was locked meanwhile)
    // comes back over the live API and is put in French too
    const closing = await openThread('Fil bientôt verrouillé', 'Premier message du fil');
    await page.goto(`${t.url}/#/fils/${closing.thread.id}`);
    await page.locator('#posts .post-body').first().waitFor();
    await waitConnected(page);
    await page.getByLabel('Votre message').fill('   ');
    await page.getByRole('button', { name: 'Envoyer' }).last().click();
    await page.getByText('Message : obligatoire.').waitFor();
    const moderator = await t.createUser({ role: 'moderator', displayName: 'Modération du verrou' });
    await t.http().patch(`/api/threads/${closing.thread.id}`).set('Authorization', moderator.auth).send({ locked: true }).expect(200);
    await page.getByLabel('Votre message').fill('Envoyé trop tard');
    await page.getByRole('button', { name: 'Envoyer' }).last().click();
    await page.locator('#posts li[data-status="failed"] .post-status', { hasText: 'échec de l’envoi : Ce fil est verrouillé.' }).waitFor();
    expect(await visibleEnglish()).toEqual([]);
    for (const path of ['/themes', `/themes/${topic.id}`, `/fils/${thread.id}`, '/seances', '/pratiques', '/recherche?q=indicateurs']) {
      await page.goto(`${t.url}/#${path}`);
      await page.locator('main h1').waitFor();
      await page.locator('main .loading').waitFor({ state: 'detached' });
      expect({ path, english: await visibleEnglish() }).toEqual({ path, english: [] });
    }
  });

  it('shows moderators the open reports in the header, followed live', async () => {
    const moderator = await t.createUser({ role: 'moderator', displayName: 'Modération en direct' });
    const open = async (): Promise<number> =>
      (await t.http().get('/api/moderation/count').set('Authorization', moderator.auth).expect(200)).body.open as number;
    const page = await newPage(375, 812);
    await signIn(page, moderator);
    const badge = page.locator('#open-reports');
    const shown = async (): Promise<string> => ((await badge.isVisible()) ? ((await badge.textContent()) ?? '') : 'hidden');
    const before = await open();
    await page.locator(`#open-reports${before === 0 ? '[hidden]' : ''}`).waitFor({ state: 'attached' });
    const created = await openThread('Compteur de signalements', 'Message qui sera signalé');
    await t.http().post(`/api/posts/${created.post.id}/flags`).set('Authorization', bob.auth).send({ reason: 'À vérifier' }).expect(201);
    await page.locator('#open-reports:not([hidden])', { hasText: `${before + 1} signalement` }).waitFor();
    expect(await shown()).toContain(String(before + 1));
    await page.screenshot({ path: join(ARTIFACTS, 'header-moderator-375.png') });
    await t
      .http()
      .post(`/api/moderation/queue/${created.post.id}/resolve`)
      .set('Authorization', moderator.auth)
      .send({ action: 'dismiss' })
      .expect(200);
    await page.locator(`#open-reports${before === 0 ? '[hidden]' : `:has-text("${before} signalement")`}`).waitFor({ state: 'attached' });
    // participants have no such count
    const reader = await newPage();
    await signIn(reader, bob);
    expect(await reader.locator('#open-reports').count()).toBe(0);
  });

  it('loads a compressed bundle that the browser may keep for a year, and a page it revalidates', async () => {
    const page = await newPage();
    const bundle = page.waitForResponse((response) => /\/app-[A-Z0-9]{8}\.js$/.test(response.url()));
    const document = await page.goto(t.url);
    const script = await bundle;
    const [documentHeaders, scriptHeaders] = [await document!.allHeaders(), await script.allHeaders()];
    expect(documentHeaders['content-encoding']).toBe('br');
    expect(scriptHeaders['content-encoding']).toBe('br');
    expect(scriptHeaders['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(scriptHeaders.vary).toMatch(/Accept-Encoding/i);
    expect(documentHeaders['cache-control']).toBe('no-cache');
  });
});
