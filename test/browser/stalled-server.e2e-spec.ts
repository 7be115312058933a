/**
 * A server that stops answering (SIGSTOP: the process is frozen, its sockets stay open, nothing says goodbye) must
 * not leave the client claiming « connecté » nor waiting forever: the header changes within about 10 s, a session room
 * says that what it shows is no longer live, a load gives up with « Réessayer », a post sent meanwhile waits (even
 * once its thread is left) and is stored once, and all comes back after SIGCONT.
 * The server runs as a child process (SIGSTOP would freeze the test too). Needs the built client.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { ServerProcess, sqliteServerEnv, startServer } from '../live/server-process';

const ADMIN = { email: 'gel@example.org', password: 'motdepasse-du-serveur-fige' };
/** The heartbeat (5 s + 4 s) and the load time limit (10 s) are the bounds; the waits allow a little more. */
const DETECTION_BOUND_MS = 12_000;
const LOAD_LIMIT_BOUND_MS = 15_000;

jest.setTimeout(180_000);

describe('web client with a stalled server (child process, SIGSTOP)', () => {
  let directory: string;
  let server: ServerProcess | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    if (!existsSync(join(__dirname, '..', '..', 'client', 'dist', 'index.html'))) throw new Error('build the client first: `npm run build:client`');
    directory = mkdtempSync(join(tmpdir(), 'essor-stalled-'));
    server = await startServer(await sqliteServerEnv(directory, ADMIN));
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    // never leave a frozen process behind, whatever failed
    server?.child.kill('SIGCONT');
    await server?.stop('SIGTERM');
    rmSync(directory, { recursive: true, force: true });
  });

  it('says « reconnexion… » within about 10 s, marks the room as not live, gives up loads with « Réessayer », keeps a post, and recovers', async () => {
    const page = await (await browser!.newContext({ viewport: { width: 375, height: 812 }, locale: 'fr-FR' })).newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(server!.url);
    await page.getByLabel('Adresse e-mail', { exact: true }).fill(ADMIN.email);
    await page.getByLabel('Mot de passe', { exact: true }).fill(ADMIN.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.locator('#connection-state[data-state="connected"]').waitFor();
    await page.getByRole('link', { name: 'Séances' }).click();
    await page.getByRole('link', { name: 'Deuxième groupe de travail Métropoles, ESS et innovation sociale' }).click();
    await page.locator('h1', { hasText: 'Deuxième groupe de travail' }).waitFor();
    await page.locator('#room-offline').waitFor({ state: 'hidden' });

    await page.locator('h2', { hasText: 'Discussion : Focus : Métropole Européenne de Lille' }).waitFor();
    await page.getByLabel('Votre message').waitFor();

    server!.child.kill('SIGSTOP');
    const text = `Envoyé pendant le gel ${Date.now()}`;
    try {
      // a post sent as the server froze gets no answer: it waits, and leaving its thread does not lose it
      await page.getByLabel('Votre message').fill(text);
      await page.getByRole('button', { name: 'Envoyer' }).click();
      await page.locator('#connection-state[data-state="reconnecting"]', { hasText: 'reconnexion…' }).waitFor({ timeout: DETECTION_BOUND_MS });
      await page.locator('#room-offline', { hasText: 'ne sont plus mis à jour en direct' }).waitFor();
      await page.locator('#posts li[data-status="waiting"]', { hasText: text }).waitFor({ timeout: LOAD_LIMIT_BOUND_MS });
      // a load that gets no answer ends with a message and « Réessayer », not « Chargement… » forever
      await page.evaluate("location.hash = '#/seances'");
      await page.locator('.loading', { hasText: 'Chargement des séances' }).waitFor();
      await page.getByRole('button', { name: 'Réessayer' }).waitFor({ timeout: LOAD_LIMIT_BOUND_MS });
      await page.getByText('Le serveur ne répond pas').waitFor();
    } finally {
      server!.child.kill('SIGCONT');
    }
    await page.locator('#connection-state[data-state="connected"]').waitFor({ timeout: DETECTION_BOUND_MS * 2 });
    await page.getByRole('button', { name: 'Réessayer' }).click();
    await page.locator('main h2', { hasText: 'Passées' }).waitFor();
    // the post went out by itself once the server was back, with its clientKey: stored once, whatever the frozen
    // server did with the first send when it woke up
    await page.getByRole('link', { name: 'Deuxième groupe de travail Métropoles, ESS et innovation sociale' }).click();
    await page.locator('#posts .post-body', { hasText: text }).waitFor();
    expect(await page.locator('#posts .post-body', { hasText: text }).count()).toBe(1);
    expect(await page.evaluate("Object.keys(localStorage).filter((key) => key.startsWith('essor.outbox'))")).toEqual([]);
    expect(errors).toEqual([]);
  });
});
