import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function readProcFile(pid: number, file: string): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

/** Alive means signalable and not a zombie (a zombie still answers kill(pid, 0)). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = readProcFile(pid, 'stat');
  // Field 3 of /proc/<pid>/stat is the state; the command name before it may contain spaces, hence lastIndexOf.
  const state = stat?.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X';
}

/** Command line of a process, or undefined when /proc is unavailable (non-Linux) or the process is gone. */
export function commandLineOf(pid: number): string | undefined {
  return readProcFile(pid, 'cmdline')?.split('\0').join(' ').trim();
}

export function rssMiB(pid: number): number | undefined {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readProcFile(pid, 'status') ?? '');
  return match?.[1] === undefined ? undefined : Math.round(Number(match[1]) / 1024);
}

export function readPidFile(file: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Pid from a pid file if that process is still ours: alive and its command line still contains `marker`
 * (guards against pid reuse after a reboot). A stale pid file is removed.
 */
export function ownedPid(pidFile: string, marker: string): number | undefined {
  const pid = readPidFile(pidFile);
  if (pid === undefined) return undefined;
  const cmd = commandLineOf(pid);
  if (isAlive(pid) && (cmd === undefined || cmd.includes(marker))) return pid;
  fs.rmSync(pidFile, { force: true });
  return undefined;
}

/** Starts a process that outlives us: own process group, stdio to a log file, not awaited. */
export function spawnDetached(
  command: string,
  args: readonly string[],
  logFile: string,
  cwd: string,
): number {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const fd = fs.openSync(logFile, 'a');
  try {
    fs.writeSync(fd, `\n===== ${new Date().toISOString()} ${command} ${args.join(' ')}\n`);
    const child = spawn(command, [...args], { cwd, detached: true, stdio: ['ignore', fd, fd] });
    if (child.pid === undefined) throw new Error(`could not spawn ${command}`);
    child.unref();
    return child.pid;
  } finally {
    fs.closeSync(fd);
  }
}

/** Sends a signal; false if the process is already gone (it may exit between a liveness check and the kill). */
function signal(pid: number, name: NodeJS.Signals): boolean {
  if (!isAlive(pid)) return false;
  try {
    process.kill(pid, name);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
}

/** SIGTERM, wait up to timeoutMs, then SIGKILL. Resolves true if the process had to be killed. */
export async function stopProcess(pid: number, timeoutMs: number): Promise<boolean> {
  if (!signal(pid, 'SIGTERM')) return false;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return false;
    await sleep(100);
  }
  signal(pid, 'SIGKILL');
  while (isAlive(pid)) await sleep(50);
  return true;
}

export function tailFile(file: string, lines: number): string {
  try {
    const all = fs.readFileSync(file, 'utf8').split('\n');
    if (all.at(-1) === '') all.pop();
    return all.slice(-lines).join('\n');
  } catch {
    return `(no log at ${file})`;
  }
}

/** True when something accepts TCP connections on host:port. */
export function isPortOpen(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (open: boolean): void => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
