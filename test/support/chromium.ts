import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's `chromium` package: the browser the console's tests drive (no Playwright browser download). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Makes sure Debian's Chromium is installed, installing the `chromium` package when it is missing, so that
 * `npm run check` on a fresh machine does its own set-up. Throws a clear error when that is impossible.
 */
export const ensureChromium = (): string => {
  if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (args: string[]) => {
    const [command, ...rest] = root ? args : ['sudo', '-n', ...args];
    return spawnSync(command as string, rest, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  };
  console.log(`[chromium] ${CHROMIUM_PATH} missing: installing Debian's chromium package (apt-get)`);
  let result = run(['apt-get', 'install', '-y', '--no-install-recommends', 'chromium']);
  if (result.status !== 0) {
    // A fresh machine may have no package lists yet.
    run(['apt-get', 'update']);
    result = run(['apt-get', 'install', '-y', '--no-install-recommends', 'chromium']);
  }
  if (result.status !== 0 || !existsSync(CHROMIUM_PATH)) {
    const why = (result.stderr || result.stdout || String(result.error ?? ''))
      .trim()
      .split('\n')
      .slice(-5)
      .join('\n');
    throw new Error(
      `The browser tests need Debian's chromium at ${CHROMIUM_PATH} and installing it failed` +
        `${root ? '' : ' (not root; sudo -n was refused or asked for a password)'}.\n` +
        `Install it with: sudo apt-get install -y chromium\n${why}`,
    );
  }
  return CHROMIUM_PATH;
};

/** Headless Chromium as the tests run it: no sandbox (containers), no GPU, no background network traffic. */
export const launchBrowser = (): Promise<Browser> =>
  chromium.launch({
    executablePath: ensureChromium(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
