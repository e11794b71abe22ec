import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The repository root (the first directory up holding package.json), the same whether the API runs from source
 * (apps/investigator-api/src) or compiled (dist/apps/investigator-api/src): the console bundle and the goAML
 * profiles are read from the repository, not copied into dist.
 */
const findRepoRoot = (from: string): string => {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
};

export const REPO_ROOT = findRepoRoot(__dirname);
