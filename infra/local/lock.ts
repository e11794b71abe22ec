import * as fs from 'node:fs';
import * as path from 'node:path';
import { isAlive, readPidFile, sleep } from './proc';

function ageMs(file: string): number {
  try {
    return Date.now() - fs.statSync(file).mtimeMs;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/**
 * Serialises `up`/`down` across processes (e.g. two Jest runs starting at once), so a server is never
 * started twice on the same data directory. A lock whose owner died is taken over.
 */
export async function withLock<T>(lockFile: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  fs.mkdirSync(path.dirname(lockFile), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = readPidFile(lockFile);
      // An empty file may be a lock being written right now: only treat it as stale once it is old.
      const stale = owner === undefined ? ageMs(lockFile) > 5_000 : !isAlive(owner);
      if (stale) {
        fs.rmSync(lockFile, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`${lockFile} is held by pid ${owner ?? '?'}`);
      await sleep(200);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockFile, { force: true });
  }
}
