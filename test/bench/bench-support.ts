import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

/** Resident and peak resident memory of a process, from /proc (Linux). */
export const memoryOf = (pid: number | undefined): { rssMiB: number; peakRssMiB: number } | undefined => {
  if (pid === undefined) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
    return { rssMiB: Math.round(kib('VmRSS') / 1024), peakRssMiB: Math.round(kib('VmHWM') / 1024) };
  } catch {
    return undefined;
  }
};

/** Pid of a local-stack JVM (from its pid file), for memory figures. */
export const stackPid = (server: 'kafka' | 'neo4j'): number | undefined => {
  try {
    return Number(readFileSync(join(ROOT, '.local', 'run', `${server}.pid`), 'utf8').trim());
  } catch {
    return undefined;
  }
};

export const writeResult = (name: string, result: unknown): string => {
  const dir = join(ROOT, 'bench-results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
};

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** CPU seconds (user + system) a process has used so far, from /proc (Linux, 100 ticks per second). */
export const cpuSecondsOf = (pid: number | undefined): number | undefined => {
  if (pid === undefined) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
};
