import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensureConsoleBuilt } from '../../apps/investigator-api/src/console/console-bundle';
import { launchBrowser } from './chromium';

const SCREENSHOT_DIR = path.resolve(__dirname, '../../docs/screenshots');

/** Debian Chromium plus an up-to-date console bundle: what every console browser spec starts with. */
export const startConsoleBrowser = async (): Promise<Browser> => {
  ensureConsoleBuilt();
  return launchBrowser();
};

/** A fresh browser context (its own sessionStorage: one signed-in user) signed in to the console. */
export const signInToConsole = async (
  browser: Browser,
  baseUrl: string,
  token: string,
  hash = '#/inbox',
): Promise<{ context: BrowserContext; page: Page }> => {
  const context = await browser.newContext({
    acceptDownloads: true,
    viewport: { width: 1400, height: 900 },
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/console/${hash}`);
  await page.getByLabel('Bearer token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  return { context, page };
};

/**
 * Writes docs/screenshots/<name>.png when UPDATE_SCREENSHOTS=1 (the committed README pictures); other runs
 * leave the work tree untouched.
 */
export const updateScreenshot = async (page: Page, name: string, selector?: string): Promise<void> => {
  if (process.env['UPDATE_SCREENSHOTS'] !== '1') return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  if (selector) await page.locator(selector).screenshot({ path: file });
  else await page.screenshot({ path: file, fullPage: true });
};

/** Every control of a role on the page has a non-empty accessible name (as assistive technology reads it). */
export const unnamedControls = async (page: Page): Promise<Record<string, number>> => {
  const roles = ['button', 'textbox', 'combobox', 'spinbutton', 'slider', 'link', 'checkbox'] as const;
  const missing: Record<string, number> = {};
  for (const role of roles) {
    const all = await page.getByRole(role).count();
    const named = await page.getByRole(role, { name: /\S/ }).count();
    if (all !== named) missing[role] = all - named;
  }
  return missing;
};
