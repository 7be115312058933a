/** What the browser tests share: one Chromium, pages that report their errors, an axe-core audit. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../support/browser';

export const CLIENT_INDEX = join(__dirname, '..', '..', 'client', 'dist', 'index.html');
export const ARTIFACTS = join(__dirname, '..', 'artifacts');

/** One Chromium for a test file; each page in a context of its own (its own storage: one person per page). */
export class BrowserPages {
  /** Uncaught errors of every page: a test checks this is empty after it, so that the one causing them fails. */
  readonly errors: string[] = [];
  private readonly contexts: BrowserContext[] = [];

  private constructor(private readonly browser: Browser) {}

  /** Chromium (the system's, else the packaged one), once the built client is known to be there. */
  static async launch(): Promise<BrowserPages> {
    if (!existsSync(CLIENT_INDEX)) throw new Error(`${CLIENT_INDEX} is missing: build the client first with \`npm run build:client\``);
    return new BrowserPages(await launchChromium());
  }

  async open(width = 1280, height = 900): Promise<Page> {
    const context = await this.browser.newContext({ viewport: { width, height }, locale: 'fr-FR' });
    this.contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => this.errors.push(error.message));
    return page;
  }

  async close(): Promise<void> {
    for (const context of this.contexts) await context.close().catch(() => undefined);
    await this.browser.close();
  }
}

/** Signs in through the login form and waits for the live connection. */
export async function signInThroughForm(page: Page, url: string, email: string, password: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Adresse e-mail', { exact: true }).fill(email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.locator('#connection-state[data-state="connected"]').waitFor();
}

/** axe-core's violations on the page as it is, one line each (rule, impact, the first elements at fault). */
export async function axeViolations(page: Page): Promise<string[]> {
  // evaluated through the DevTools protocol: the page's CSP (no inline script) refuses an injected <script>
  await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  const results = await page.evaluate<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }>('axe.run(document)');
  return results.violations.map(
    (v) =>
      `${v.id} (${v.impact}) ${v.nodes
        .map((n) => n.target.join(' '))
        .slice(0, 3)
        .join(', ')}`,
  );
}
