/** An analyst's verdict on one closed alert. */
export interface AlertDisposition {
  readonly typology: string;
  /** confirmed-mule, confirmed-proceeds, false-positive or duplicate. */
  readonly disposition: string;
}

export interface TypologyPrecision {
  readonly typology: string;
  /** Closed as confirmed mule or confirmed proceeds. */
  readonly confirmed: number;
  readonly falsePositives: number;
  /** Duplicates say nothing about the detector's judgement: counted, not scored. */
  readonly duplicates: number;
  /** confirmed / (confirmed + false positives); null until one of them exists (no verdict, no precision). */
  readonly precision: number | null;
}

const CONFIRMED = new Set(['confirmed-mule', 'confirmed-proceeds']);

/** Precision per typology from analysts' dispositions, in typology order. */
export const precisionByTypology = (dispositions: readonly AlertDisposition[]): TypologyPrecision[] => {
  const tally = new Map<string, { confirmed: number; falsePositives: number; duplicates: number }>();
  for (const { typology, disposition } of dispositions) {
    const counts = tally.get(typology) ?? { confirmed: 0, falsePositives: 0, duplicates: 0 };
    if (CONFIRMED.has(disposition)) counts.confirmed += 1;
    else if (disposition === 'false-positive') counts.falsePositives += 1;
    else if (disposition === 'duplicate') counts.duplicates += 1;
    tally.set(typology, counts);
  }
  return [...tally.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([typology, counts]) => {
      const judged = counts.confirmed + counts.falsePositives;
      return {
        typology,
        ...counts,
        precision: judged === 0 ? null : Number((counts.confirmed / judged).toFixed(4)),
      };
    });
};
