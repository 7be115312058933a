/**
 * Attached files in the web client, in a real Chromium: a large file uploaded from the reply form with its progress
 * shown (the upload throttled through the DevTools protocol, so the progress can be seen moving), a refused type
 * answered in French, an image asked for its alternative text then shown as a preview in the post, and a file dropped
 * on the drop zone. Needs the built client: `npm run build:client` first.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { launchChromium } from '../support/browser';
import { minimalPdf, windowsExecutable } from '../support/sample-files';
import { createTestApp, TEST_PASSWORD, type TestApp, type TestUser } from '../support/test-app';

const CLIENT_INDEX = join(__dirname, '..', '..', 'client', 'dist', 'index.html');

jest.setTimeout(120_000);

describe('attached files in the web client (Chromium)', () => {
  let t: TestApp;
  let browser: Browser;
  let alice: TestUser;
  let threadId: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CLIENT_INDEX)) throw new Error(`${CLIENT_INDEX} is missing: build the client first with \`npm run build:client\``);
    t = await createTestApp();
    alice = await t.createUser({ displayName: 'Alice Nantes', metropolis: 'nantes-metropole' });
    const [topic] = (await t.http().get('/api/topics').set('Authorization', alice.auth).expect(200)).body as { id: string }[];
    const created = await t
      .http()
      .post(`/api/topics/${topic.id}/threads`)
      .set('Authorization', alice.auth)
      .send({ title: 'Documents du focus', body: 'Déposez ici.' });
    threadId = (created.body as { thread: { id: string } }).thread.id;
    browser = await launchChromium();
  });

  afterEach(() => expect(pageErrors.splice(0)).toEqual([]));
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function threadPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(t.url);
    await page.getByLabel('Adresse e-mail', { exact: true }).fill(alice.user.email);
    await page.getByLabel('Mot de passe', { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.locator('#connection-state[data-state="connected"]').waitFor();
    await page.goto(`${t.url}/#/fils/${threadId}`);
    await page.locator('h1', { hasText: 'Documents du focus' }).waitFor();
    return page;
  }

  it('uploads a large file with progress, refuses an executable in French, asks an image’s alt text, and shows the files in the post', async () => {
    const page = await threadPage();
    const form = page.locator('form.reply-form').last();
    const chooser = form.locator('input[type="file"]');

    // about 4 MB at 2 MB/s: the progress bar stays long enough to be seen between its ends
    const devtools = await page.context().newCDPSession(page);
    await devtools.send('Network.enable');
    await devtools.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 2 * 1024 * 1024,
    });
    const pdf = Buffer.concat([minimalPdf('Etude'), Buffer.alloc(4 * 1024 * 1024, 0x20)]);
    await chooser.setInputFiles({ name: 'etude-2019.pdf', mimeType: 'application/pdf', buffer: pdf });
    const progress = form.getByRole('progressbar', { name: 'Envoi de etude-2019.pdf' });
    await progress.waitFor();
    // page-side code: the type-check of tests has no DOM types, and the page's CSP refuses code given as text
    await page.waitForFunction(() => {
      const bar = (globalThis as any).document.querySelector('form.reply-form progress');
      return !!bar && bar.value > 0 && bar.value < 1;
    });
    await form.getByRole('button', { name: 'Retirer etude-2019.pdf' }).waitFor({ timeout: 30_000 });
    await devtools.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

    await chooser.setInputFiles({ name: 'outil.pdf', mimeType: 'application/pdf', buffer: windowsExecutable() });
    await form.getByRole('alert').filter({ hasText: 'outil.pdf : Type de fichier refusé' }).waitFor();

    const png = await sharp({ create: { width: 1600, height: 900, channels: 3, background: { r: 30, g: 90, b: 160 } } })
      .png()
      .toBuffer();
    await chooser.setInputFiles({ name: 'carte.png', mimeType: 'image/png', buffer: png });
    await form.getByLabel('Texte alternatif de l’image carte.png (ce qu’elle montre)').fill('Carte des métropoles présentes');
    await form.getByRole('button', { name: 'Joindre l’image' }).click();
    await form.getByRole('button', { name: 'Retirer carte.png' }).waitFor();

    // a file dropped on the zone goes the same way
    const dropped = await page.evaluateHandle(() => {
      const transfer = new (globalThis as any).DataTransfer();
      transfer.items.add(new (globalThis as any).File(['métropole;structures\nLille;9\n'], 'structures.csv', { type: 'text/csv' }));
      return transfer;
    });
    await form.locator('.dropzone').dispatchEvent('drop', { dataTransfer: dropped });
    await form.getByRole('button', { name: 'Retirer structures.csv' }).waitFor();

    await form.getByLabel('Votre message').fill('Les documents du focus de Lille');
    await form.getByRole('button', { name: 'Envoyer' }).click();
    const post = page.locator('#posts article', { hasText: 'Les documents du focus de Lille' });
    const files = post.getByRole('list', { name: 'Pièces jointes' });
    await files.getByRole('button', { name: 'etude-2019.pdf' }).waitFor();
    await files.getByRole('button', { name: 'structures.csv' }).waitFor();
    await files.locator('li', { hasText: 'PDF, 4 Mo · Alice Nantes' }).waitFor();
    const preview = files.getByRole('img', { name: 'Carte des métropoles présentes' });
    await preview.waitFor();
    await page.waitForFunction(() => {
      const img = (globalThis as any).document.querySelector('#posts img.preview');
      return !!img && img.complete && img.naturalWidth === 1024;
    });
    expect(await form.getByRole('listitem').count()).toBe(0);

    const stored = await t.http().get(`/api/threads/${threadId}`).set('Authorization', alice.auth).expect(200);
    const last = (stored.body as { posts: Array<{ attachments: Array<{ name: string }> }> }).posts.at(-1)!;
    expect(last.attachments.map((file) => file.name).sort()).toEqual(['carte.png', 'etude-2019.pdf', 'structures.csv']);
  });
});
