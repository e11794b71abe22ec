import { z } from 'zod';
import {
  AssetCodeSchema,
  CurrencyCodeSchema,
  DecimalAmountSchema,
  IdentifierSchema,
  TimestampSchema,
} from './primitives.schema';

/**
 * A reference FX rate (topic `reference.fx-rate.published.v1`): `rate` quote units per ONE base unit,
 * valid from `validFrom` until the next rate of the same pair.
 */
export const FxRatePublishedSchema = z.strictObject({
  schemaVersion: z.literal(1),
  /** An ISO 4217 currency or a virtual asset's symbol ("USDT"). */
  base: AssetCodeSchema,
  /** The reference currency amounts are converted into. */
  quote: CurrencyCodeSchema,
  rate: DecimalAmountSchema.refine((rate) => /[1-9]/.test(rate), 'must be greater than zero'),
  validFrom: TimestampSchema,
  /** Who published the rate (e.g. a central bank's reference rate feed). */
  source: IdentifierSchema,
});
export type FxRatePublished = z.infer<typeof FxRatePublishedSchema>;
