/** What to do with an amount that has more decimals than its currency's ISO 4217 exponent. */
export const ROUNDING_MODES = ['half-even', 'reject'] as const;
export type RoundingMode = (typeof ROUNDING_MODES)[number];
