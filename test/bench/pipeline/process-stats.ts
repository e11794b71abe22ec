import { readdirSync, readFileSync } from 'node:fs';
import { cpuSecondsOf, memoryOf, stackPid } from '../bench-support';

/** Pid of a running process by its command name (first match), for servers the stack did not start. */
export const pidByName = (name: string): number | undefined => {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) return Number(entry);
    } catch {
      // The process ended while we looked.
    }
  }
  return undefined;
};

export type Pids = Record<string, number | undefined>;

export const serverPids = (): Pids => ({
  kafka: stackPid('kafka'),
  neo4j: stackPid('neo4j'),
  redis: pidByName('redis-server'),
});

/** CPU seconds used so far by each named process; the benchmark's own process under `bench`. */
export const cpuSnapshot = (pids: Pids): Record<string, number> => {
  const snapshot: Record<string, number> = {};
  for (const [name, pid] of Object.entries(pids)) snapshot[name] = cpuSecondsOf(pid) ?? 0;
  const self = process.cpuUsage();
  snapshot['bench'] = (self.user + self.system) / 1e6;
  return snapshot;
};

export const cpuBetween = (
  before: Record<string, number>,
  after: Record<string, number>,
): Record<string, number> =>
  Object.fromEntries(
    Object.keys(after).map((name) => [name, Number(((after[name] ?? 0) - (before[name] ?? 0)).toFixed(1))]),
  );

export interface MemoryFigure {
  readonly rssMiB: number;
  readonly peakRssMiB: number;
}

/** Tracks the largest resident memory seen per process over the run (and the kernel's own peak). */
export class MemoryTracker {
  private readonly seen = new Map<string, MemoryFigure>();

  constructor(private readonly pids: () => Pids) {}

  sample(): void {
    for (const [name, pid] of Object.entries(this.pids())) {
      const now = memoryOf(pid);
      if (!now) continue;
      const before = this.seen.get(name);
      this.seen.set(name, {
        rssMiB: Math.max(now.rssMiB, before?.rssMiB ?? 0),
        peakRssMiB: Math.max(now.peakRssMiB, before?.peakRssMiB ?? 0),
      });
    }
  }

  /** Largest sampled RSS and the kernel's high-water mark (VmHWM) per process, MiB. */
  result(): Record<string, { sampledMaxRssMiB: number; peakRssMiB: number }> {
    return Object.fromEntries(
      [...this.seen].map(([name, m]) => [name, { sampledMaxRssMiB: m.rssMiB, peakRssMiB: m.peakRssMiB }]),
    );
  }
}
