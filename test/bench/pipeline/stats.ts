/** Nearest-rank percentile of unsorted samples (undefined when there are none). */
export const percentile = (samples: readonly number[], p: number): number | undefined => {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
};

export interface LatencySummary {
  readonly samples: number;
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
  readonly p99Ms: number | null;
  readonly maxMs: number | null;
}

const ms = (value: number | undefined): number | null =>
  value === undefined ? null : Number(value.toFixed(1));

export const summarise = (samples: readonly number[]): LatencySummary => ({
  samples: samples.length,
  p50Ms: ms(percentile(samples, 50)),
  p95Ms: ms(percentile(samples, 95)),
  p99Ms: ms(percentile(samples, 99)),
  maxMs: ms(samples.length === 0 ? undefined : Math.max(...samples)),
});

/** A figure against its target: never fails the run, only says pass or miss. */
export interface Judged {
  readonly value: number | null;
  readonly target: string;
  readonly pass: boolean;
}

export const atLeast = (value: number | null, target: number, unit = ''): Judged => ({
  value,
  target: `>= ${target}${unit}`,
  pass: value !== null && value >= target,
});

export const atMost = (value: number | null, target: number, unit = ''): Judged => ({
  value,
  target: `<= ${target}${unit}`,
  pass: value !== null && value <= target,
});
