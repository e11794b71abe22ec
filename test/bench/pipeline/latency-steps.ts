import type { LatencySummary } from './stats';

/** One offered rate of the step search and what it gave. */
export interface LatencyStep {
  readonly offeredRatePerSecond: number;
  readonly achievedRatePerSecond: number;
  readonly p99Ms: number | null;
  readonly samples: number;
  readonly pass: boolean;
}

export interface LatencyStepSearch {
  readonly targetP99Ms: number;
  readonly secondsPerStep: number;
  readonly steps: LatencyStep[];
  /** The highest offered rate whose event → alert p99 stayed within the target (null: not even the first). */
  readonly highestPassingRatePerSecond: number | null;
}

/** Runs a paced feed at `ratePerSecond` for `seconds`, waits for the pipeline to drain, and summarises latency. */
export type MeasureLatencyAt = (
  ratePerSecond: number,
  seconds: number,
  step: number,
) => Promise<{ readonly achievedRatePerSecond: number; readonly eventToAlert: LatencySummary }>;

export interface StepSearchOptions {
  readonly startRatePerSecond: number;
  readonly maxRatePerSecond: number;
  readonly secondsPerStep: number;
  readonly targetP99Ms: number;
}

/**
 * A short step search for the highest offered rate at which event → alert p99 stays within the target: the rate
 * doubles from the start while it passes (up to the maximum), then one step halfway between the last pass and
 * the first miss. A step without any latency sample counts as a miss (nothing was alerted in time to measure).
 */
export const searchHighestRate = async (
  measure: MeasureLatencyAt,
  o: StepSearchOptions,
): Promise<LatencyStepSearch> => {
  const steps: LatencyStep[] = [];
  const run = async (rate: number): Promise<boolean> => {
    const { achievedRatePerSecond, eventToAlert } = await measure(rate, o.secondsPerStep, steps.length);
    const p99 = eventToAlert.p99Ms;
    const pass = p99 !== null && eventToAlert.samples > 0 && p99 <= o.targetP99Ms;
    steps.push({
      offeredRatePerSecond: rate,
      achievedRatePerSecond,
      p99Ms: p99,
      samples: eventToAlert.samples,
      pass,
    });
    return pass;
  };
  let passing: number | null = null;
  let failing: number | null = null;
  for (let rate = o.startRatePerSecond; rate <= o.maxRatePerSecond; rate *= 2) {
    if (await run(rate)) passing = rate;
    else {
      failing = rate;
      break;
    }
  }
  if (passing !== null && failing !== null) {
    const middle = Math.round((passing + failing) / 2);
    if (middle > passing && middle < failing && (await run(middle))) passing = middle;
  }
  return {
    targetP99Ms: o.targetP99Ms,
    secondsPerStep: o.secondsPerStep,
    steps,
    highestPassingRatePerSecond: passing,
  };
};
