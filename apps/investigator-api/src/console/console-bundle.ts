import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../repo-root';

/** Where the console's sources are and where `vite build` writes the bundle the API serves at /console/. */
export const CONSOLE_SOURCE_DIR = path.join(REPO_ROOT, 'apps/investigator-console');
export const CONSOLE_DIST_DIR = path.join(CONSOLE_SOURCE_DIR, 'dist');
const STAMP = '.source-hash';

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) return sourceFiles(full);
      return name.endsWith('.spec.ts') ? [] : [full];
    });

/** Hash of everything the bundle is built from: a changed source (not a changed mtime) means stale. */
export const consoleSourceHash = (): string => {
  const hash = createHash('sha256');
  const files = [
    ...sourceFiles(path.join(CONSOLE_SOURCE_DIR, 'src')),
    path.join(CONSOLE_SOURCE_DIR, 'index.html'),
    path.join(CONSOLE_SOURCE_DIR, 'vite.config.ts'),
    // The console bundles the role matrix and lifecycle table it shares with the API from libs/contracts.
    path.resolve(CONSOLE_SOURCE_DIR, '../../libs/contracts/src/investigator-api.ts'),
  ];
  for (const file of files) hash.update(path.relative(CONSOLE_SOURCE_DIR, file)).update(readFileSync(file));
  return hash.digest('hex');
};

/**
 * Builds the console with Vite when the bundle is missing or older than its sources; tests and the demo call
 * it so a fresh clone serves a working /console/. Vite runs in a child process: it is ESM-only, and Jest's
 * module system cannot load it in-process.
 */
export const ensureConsoleBuilt = (): { built: boolean; dir: string } => {
  const wanted = consoleSourceHash();
  const stamp = path.join(CONSOLE_DIST_DIR, STAMP);
  if (existsSync(path.join(CONSOLE_DIST_DIR, 'index.html')) && existsSync(stamp)) {
    if (readFileSync(stamp, 'utf8').trim() === wanted) return { built: false, dir: CONSOLE_DIST_DIR };
  }
  const vitePackage = require.resolve('vite/package.json', { paths: [CONSOLE_SOURCE_DIR] });
  const vite = path.join(path.dirname(vitePackage), 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', CONSOLE_SOURCE_DIR, '--logLevel', 'warn'], {
    cwd: CONSOLE_SOURCE_DIR,
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new Error(`vite build of the console failed:\n${result.stderr || result.stdout}`);
  }
  writeFileSync(stamp, `${wanted}\n`);
  return { built: true, dir: CONSOLE_DIST_DIR };
};
