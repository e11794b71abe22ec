/** Precision, recall and F1 with the counts behind them; a ratio with a zero denominator is 0, never NaN. */
export interface Scores {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
}

/** One alert, reduced to what account-level scoring needs. */
export interface ScoredAlert {
  readonly accountKey: string;
  readonly typology: string;
}

export interface DetectionScoreInput {
  /** Every account of the evaluated population (alerts outside it are ignored: other runs' traffic). */
  readonly accounts: ReadonlySet<string>;
  /** The accounts the labels call positive (a subset of `accounts`). */
  readonly positives: ReadonlySet<string>;
  readonly alerts: readonly ScoredAlert[];
}

export interface DetectionScores {
  readonly accounts: number;
  readonly labelledPositive: number;
  /** Distinct population accounts with at least one alert of any typology. */
  readonly alerted: number;
  readonly overall: Scores;
  /**
   * Per alert typology, in name order: each typology's alerted accounts against all positives, with up to
   * MISSED_SAMPLE of the positives it did not name (first by key), so a run's misses can be looked up.
   */
  readonly perTypology: Readonly<
    Record<string, Scores & { readonly alerted: number; readonly missedSample: readonly string[] }>
  >;
}

/** How many missed positives each typology's scores name. */
export const MISSED_SAMPLE = 10;

const ratio = (num: number, den: number): number => (den === 0 ? 0 : num / den);
const round = (x: number): number => Number(x.toFixed(4));

/** Scores a set of alerted accounts against labelled positives. */
export const scoresOf = (alerted: ReadonlySet<string>, positives: ReadonlySet<string>): Scores => {
  let tp = 0;
  for (const key of alerted) if (positives.has(key)) tp += 1;
  const fp = alerted.size - tp;
  const fn = positives.size - tp;
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  return {
    precision: round(precision),
    recall: round(recall),
    f1: round(ratio(2 * precision * recall, precision + recall)),
    tp,
    fp,
    fn,
  };
};

/**
 * Account-level scoring: an account counts as detected when any alert names it, however many alerts or
 * versions it has. Per typology, recall is against all positives (a typology need not cover every label).
 */
export const scoreDetections = ({ accounts, positives, alerts }: DetectionScoreInput): DetectionScores => {
  const inPopulation = alerts.filter((a) => accounts.has(a.accountKey));
  const labelled = new Set([...positives].filter((key) => accounts.has(key)));
  const alertedAny = new Set(inPopulation.map((a) => a.accountKey));
  const byTypology = new Map<string, Set<string>>();
  for (const { typology, accountKey } of inPopulation) {
    const set = byTypology.get(typology) ?? new Set<string>();
    set.add(accountKey);
    byTypology.set(typology, set);
  }
  const perTypology = Object.fromEntries(
    [...byTypology.keys()].sort().map((typology) => {
      const set = byTypology.get(typology) ?? new Set<string>();
      const missedSample = [...labelled]
        .filter((key) => !set.has(key))
        .sort()
        .slice(0, MISSED_SAMPLE);
      return [typology, { alerted: set.size, ...scoresOf(set, labelled), missedSample }];
    }),
  );
  return {
    accounts: accounts.size,
    labelledPositive: labelled.size,
    alerted: alertedAny.size,
    overall: scoresOf(alertedAny, labelled),
    perTypology,
  };
};

/** Keeps the highest version of each alert id (alerts are updated in place by new versions). */
export const latestAlertVersions = <T extends { readonly alertId: string; readonly version: number }>(
  alerts: readonly T[],
): T[] => {
  const latest = new Map<string, T>();
  for (const alert of alerts) {
    const seen = latest.get(alert.alertId);
    if (!seen || alert.version > seen.version) latest.set(alert.alertId, alert);
  }
  return [...latest.values()];
};
