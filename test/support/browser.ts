import bundledChromium from '@sparticuz/chromium';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's package (what CI installs); CHROMIUM_PATH names another. */
const SYSTEM_CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SYSTEM_CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Flags of @sparticuz/chromium's list (made for one page per serverless call) that the tests cannot take: one process
 * breaks a second browser context, and the tests check the page's own security (CSP, inert HTML), which these lift.
 */
const BUNDLED_ARGS_LEFT_OUT = new Set(['--single-process', '--disable-web-security', '--allow-running-insecure-content']);

/**
 * Chromium for the browser tests: the system's when there is one, else the build that `@sparticuz/chromium` ships
 * inside its npm package (unpacked under the temporary directory on first use), so that `npm test` needs nothing
 * installed by hand. `ESSOR_BROWSER=bundled` takes the packaged one even where the system has its own.
 */
export async function launchChromium(): Promise<Browser> {
  if (process.env.ESSOR_BROWSER !== 'bundled' && existsSync(SYSTEM_CHROMIUM)) {
    return chromium.launch({ executablePath: SYSTEM_CHROMIUM, args: SYSTEM_CHROMIUM_ARGS });
  }
  const args = bundledChromium.args.filter((arg) => !BUNDLED_ARGS_LEFT_OUT.has(arg));
  return chromium.launch({ executablePath: await bundledChromium.executablePath(), args, headless: true });
}
