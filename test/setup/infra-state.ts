import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StartedTestContainer } from 'testcontainers';

export type InfraMode = 'env' | 'containers' | 'local';

/** What global-setup started, so global-teardown stops exactly that and nothing else. */
export interface InfraState {
  readonly mode: InfraMode;
  /** local: stack server names started by this run; containers: container ids. */
  readonly started: readonly string[];
  readonly startedAt: string;
}

/** Started containers must survive until global-teardown, which Jest runs in the same process as global-setup. */
export const CONTAINERS_KEY = '__scamflowTestContainers';
export type GlobalWithContainers = typeof globalThis & { [CONTAINERS_KEY]?: readonly StartedTestContainer[] };

const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Keyed by pid: global setup and teardown run in the same Jest parent process, parallel runs do not collide. */
const stateFile = (pid: number = process.pid): string =>
  path.join(REPO_ROOT, '.local', 'test-infra', `${pid}.json`);

export function writeInfraState(state: InfraState): void {
  const file = stateFile();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`);
}

export function readInfraState(): InfraState | undefined {
  try {
    return JSON.parse(fs.readFileSync(stateFile(), 'utf8')) as InfraState;
  } catch {
    return undefined;
  }
}

export function clearInfraState(): void {
  fs.rmSync(stateFile(), { force: true });
}
