/**
 * Held-out check against an artifact of a simulator: AMLSim draws laundering amounts far below normal ones, so a
 * rule could key on "small" and look good. This maps every laundering amount, rank for rank, onto the normal
 * transfers' own amount distribution (the laundering transfer at quantile q gets the normal amount at quantile
 * q), so amounts carry no label information and a rule keyed on them loses its edge. Exact: amounts stay decimal
 * strings, only compared (as integers at the data's largest scale), never computed with.
 */
export interface AmountToRescale {
  readonly value: string;
  readonly laundering: boolean;
}

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

const scaleOf = (value: string): number => DECIMAL.exec(value)?.[2]?.length ?? 0;

const minorAt = (value: string, scale: number): bigint => {
  const match = DECIMAL.exec(value);
  if (!match) throw new Error(`amount "${value}" is not a plain decimal`);
  return BigInt(`${match[1]}${(match[2] ?? '').padEnd(scale, '0')}`);
};

/** The amounts in input order, laundering ones replaced by the normal amount at the same quantile. */
export const rescaleLaunderingAmounts = (rows: readonly AmountToRescale[]): string[] => {
  const scale = Math.max(0, ...rows.map((r) => scaleOf(r.value)));
  const normal = rows
    .filter((r) => !r.laundering)
    .map((r) => ({ value: r.value, minor: minorAt(r.value, scale) }))
    .sort((a, b) => (a.minor < b.minor ? -1 : a.minor > b.minor ? 1 : 0));
  if (normal.length === 0) return rows.map((r) => r.value);
  const laundering = rows
    .map((r, index) => ({ index, laundering: r.laundering, minor: minorAt(r.value, scale) }))
    .filter((r) => r.laundering)
    .sort((a, b) => (a.minor < b.minor ? -1 : a.minor > b.minor ? 1 : a.index - b.index));
  const out = rows.map((r) => r.value);
  laundering.forEach((r, rank) => {
    const q = (rank + 0.5) / laundering.length;
    out[r.index] = normal[Math.min(normal.length - 1, Math.floor(q * normal.length))]!.value;
  });
  return out;
};
